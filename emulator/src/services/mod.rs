//! One module per AWS service, one file per action.
