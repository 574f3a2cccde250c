//! Parser for dotenv files (in progress).
