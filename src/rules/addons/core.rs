//! The modules each Odoo series ships, and those its Community source names as Enterprise
//! ones: `data/odoo/<series>-modules.json`, generated from Odoo's own source by
//! `scripts/odoo_modules.py` (each Enterprise name with the file and line that names it).

use crate::formats::odoo_conf::OdooVersion;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
pub(crate) struct CoreModule {
    pub installable: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CoreModules {
    pub modules: BTreeMap<String, CoreModule>,
    /// Enterprise module → where Community's source names it.
    pub enterprise: BTreeMap<String, String>,
    /// Modules of the source copy whose manifest names another author than Odoo S.A.
    /// (partners' localisations, a copy's own modules): they exist, nothing more is claimed.
    pub other_authors: Vec<String>,
}

impl CoreModules {
    /// The module the series ships under this name.
    pub fn get(&self, name: &str) -> Option<&CoreModule> {
        self.modules.get(name)
    }

    /// Whether Odoo S.A. ships this module in the series (not a partner's or a copy's own).
    pub fn is_odoo_s_a(&self, name: &str) -> bool {
        self.modules.contains_key(name)
            && self
                .other_authors
                .binary_search_by(|m| m.as_str().cmp(name))
                .is_err()
    }

    /// Where Community's source names this module as an Enterprise one, if it does.
    pub fn enterprise(&self, name: &str) -> Option<&str> {
        self.enterprise.get(name).map(String::as_str)
    }
}

const TABLES: [&str; 4] = [
    include_str!("../../../data/odoo/16.0-modules.json"),
    include_str!("../../../data/odoo/17.0-modules.json"),
    include_str!("../../../data/odoo/18.0-modules.json"),
    include_str!("../../../data/odoo/19.0-modules.json"),
];

/// The table of one series, read once a process.
pub(crate) fn core_modules(version: OdooVersion) -> &'static CoreModules {
    static PARSED: [OnceLock<CoreModules>; 4] = [const { OnceLock::new() }; 4];
    PARSED[version as usize].get_or_init(|| {
        serde_json::from_str(TABLES[version as usize]).unwrap_or_else(|e| {
            panic!(
                "data/odoo/{}-modules.json is not a table: {e}",
                version.as_str()
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_series_ships_base_and_names_enterprise_modules_it_lacks() {
        for version in OdooVersion::ALL {
            let table = core_modules(version);
            assert!(table.get("base").is_some_and(|m| m.installable));
            assert!(table.get("mail").is_some());
            assert!(
                table.enterprise("web_studio").is_some(),
                "{}",
                version.as_str()
            );
            assert!(table.enterprise.keys().all(|m| table.get(m).is_none()));
        }
        assert!(core_modules(OdooVersion::V18)
            .enterprise("account_accountant")
            .is_some());
    }
}
