//! Workspace-wide naming: every target gets a name unique across the analysed packages, and
//! dependencies on workspace members are linked to the member's lib target.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::package::{Package, crate_name};
use super::{CrateTarget, Dependency, TargetKind};

/// Turns packages into crate targets sorted by unique name.
///
/// Naming rules, applied to libs first (packages in name order) and then to bins, so a lib
/// keeps its plain crate name whenever possible:
/// 1. the crate name: `[lib] name` or the package name for a lib, the bin name for a bin,
///    with `-` turned into `_`;
/// 2. if taken, a bin tries `<name>_bin`;
/// 3. if still taken, `<name>_<package>` (package with `-` → `_`);
/// 4. if still taken, `<that>_2`, `_3`, ...
pub(crate) fn name_targets(mut packages: Vec<Package>) -> Vec<CrateTarget> {
    packages.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.dir.cmp(&b.dir)));
    let mut taken: BTreeSet<String> = BTreeSet::new();

    let lib_names: Vec<Option<String>> = packages
        .iter()
        .map(|p| {
            p.lib
                .as_ref()
                .map(|(name, _)| unique(name, TargetKind::Lib, &p.name, &mut taken))
        })
        .collect();
    let bin_names: Vec<Vec<String>> = packages
        .iter()
        .map(|p| {
            p.bins
                .iter()
                .map(|(name, _)| unique(&crate_name(name), TargetKind::Bin, &p.name, &mut taken))
                .collect()
        })
        .collect();

    // Folder of each member with a lib → (package, crate name used in code, unique name).
    let libs_by_dir: BTreeMap<PathBuf, (&str, &str, &str)> = packages
        .iter()
        .zip(&lib_names)
        .filter_map(|(p, unique)| {
            let (crate_name, _) = p.lib.as_ref()?;
            Some((
                p.dir.clone(),
                (p.name.as_str(), crate_name.as_str(), unique.as_deref()?),
            ))
        })
        .collect();

    let mut crates = Vec::new();
    for ((package, lib_name), bin_names) in packages.iter().zip(&lib_names).zip(&bin_names) {
        let mut deps = BTreeMap::new();
        for dep in &package.deps {
            let member = dep.path.as_ref().and_then(|path| libs_by_dir.get(path));
            let code_name = match member {
                // Code names a member by its lib name unless the key renames it.
                Some((_, lib_crate, _)) if !dep.renamed => lib_crate.to_string(),
                _ => crate_name(&dep.key),
            };
            deps.insert(
                code_name,
                Dependency {
                    package: dep.package.clone(),
                    workspace_crate: member.map(|(_, _, unique)| unique.to_string()),
                },
            );
        }
        let target = |name: &str, kind, root_file: &PathBuf, deps| CrateTarget {
            name: name.to_string(),
            package: package.name.clone(),
            kind,
            root_file: root_file.clone(),
            package_dir: package.dir.clone(),
            deps,
        };
        let own_lib = package.lib.as_ref().zip(lib_name.as_ref());
        if let Some(((_, root_file), unique)) = own_lib {
            crates.push(target(unique, TargetKind::Lib, root_file, deps.clone()));
        }
        for ((_, root_file), unique) in package.bins.iter().zip(bin_names) {
            let mut bin_deps = deps.clone();
            if let Some(((lib_crate, _), lib_unique)) = own_lib {
                bin_deps.insert(
                    lib_crate.clone(),
                    Dependency {
                        package: package.name.clone(),
                        workspace_crate: Some(lib_unique.clone()),
                    },
                );
            }
            crates.push(target(unique, TargetKind::Bin, root_file, bin_deps));
        }
    }
    crates.sort_by(|a, b| a.name.cmp(&b.name));
    crates
}

fn unique(name: &str, kind: TargetKind, package: &str, taken: &mut BTreeSet<String>) -> String {
    let mut candidates = Vec::new();
    candidates.push(name.to_string());
    if kind == TargetKind::Bin {
        candidates.push(format!("{name}_bin"));
    }
    let qualified = format!("{name}_{}", crate_name(package));
    candidates.push(qualified.clone());
    let chosen = candidates
        .into_iter()
        .find(|c| !taken.contains(c))
        .unwrap_or_else(|| {
            (2..)
                .map(|n| format!("{qualified}_{n}"))
                .find(|c| !taken.contains(c))
                .unwrap_or(qualified)
        });
    taken.insert(chosen.clone());
    chosen
}
