//! Parser for nginx files (in progress).
