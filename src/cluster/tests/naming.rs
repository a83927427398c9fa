//! Domain names come from the vocabulary typical of each domain.

use crate::cluster::naming::LAYER_WORDS;
use crate::cluster::{
    ClusterInput, NamingHints, NodeInfo, Suggestion, domain_names, domain_names_with,
};

fn node(module: &str, words: &[&str]) -> NodeInfo {
    NodeInfo {
        id: format!("{module}::X"),
        module: module.to_owned(),
        words: words.iter().map(|w| (*w).to_owned()).collect(),
    }
}

/// Every node in the domain given, none kernel.
fn suggestion_of(domains: &[u32]) -> Suggestion {
    Suggestion {
        domain: domains.iter().map(|&d| Some(d)).collect(),
        confidence: vec![1.0; domains.len()],
        kernel: vec![None; domains.len()],
        resolution: 1.0,
        domain_count: domains.iter().max().map_or(0, |&d| d as usize + 1),
    }
}

/// Naming hints of the tables each domain owns, in domain order.
fn owning(tables: &[&[&str]]) -> NamingHints {
    NamingHints {
        layers: Default::default(),
        tables: (tables.iter())
            .map(|ts| ts.iter().map(|t| (*t).to_owned()).collect())
            .collect(),
    }
}

#[test]
fn names_prefer_words_typical_of_one_domain() {
    let mut sorted = LAYER_WORDS.to_vec();
    sorted.sort_unstable();
    assert_eq!(sorted, LAYER_WORDS);
    let input = ClusterInput {
        nodes: vec![
            node("shop::billing::service", &["InvoiceTotal", "CustomerId"]),
            node("shop::billing::routes", &["issue_invoice", "customer"]),
            node("shop::shipping::service", &["ParcelLabel", "customer"]),
            node(
                "shop::shipping::routes",
                &["ship_parcel", "CustomerAddress"],
            ),
            node("shop::other", &["new", "get"]),
        ],
        layers: vec![],
    };
    let suggestion = suggestion_of(&[0, 0, 1, 1, 2]);
    // `customer` is everywhere, `service`/`routes` are layers; `new`/`get` are noise, but the
    // module name `other` is still a word.
    assert_eq!(
        domain_names(&input, &suggestion),
        vec!["billing", "shipping", "other"]
    );
}

#[test]
fn names_are_unique() {
    let input = ClusterInput {
        nodes: vec![
            node("shop::orders", &["Order"]),
            node("shop::orders", &["Order"]),
            node("shop::routes", &["new"]),
        ],
        layers: vec![],
    };
    let suggestion = suggestion_of(&[0, 1, 2]);
    let names = domain_names(&input, &suggestion);
    // Tied scores: the module word first; the second domain takes the next best.
    assert_eq!(names, vec!["orders", "order", "domain-2"]);
}

#[test]
fn a_compound_module_name_is_a_candidate_name() {
    // Domain 1 lives in `service::account_data`: its words were `account` (shared with
    // domain 0) and `data` (a stop word), so it used to be `domain-1` once `account` was
    // taken. The whole segment is typical of it alone.
    let input = ClusterInput {
        nodes: vec![
            node("c::service::account", &["Account", "password"]),
            node("c::api::account", &["register", "password"]),
            node("c::service::account_data::data", &["Data", "get"]),
            node("c::api::client_server::typing", &["get", "set"]),
        ],
        layers: vec![],
    };
    let suggestion = suggestion_of(&[0, 0, 1, 2]);
    let names = domain_names(&input, &suggestion);
    assert_eq!(names[1], "account_data");
    assert_eq!(names[2], "typing", "`client_server` is a layer, not a name");
    // `password` (identifiers only) scores best, but the modules say `account`.
    assert_eq!(names[0], "account");
}

fn named(input: &ClusterInput, domains: &[u32], layers: &[&str]) -> Vec<String> {
    let hints = NamingHints {
        layers: layers.iter().map(|l| (*l).to_owned()).collect(),
        tables: Vec::new(),
    };
    domain_names_with(input, &suggestion_of(domains), &hints)
}

#[test]
fn a_domain_living_under_another_domains_name_is_named_as_its_part() {
    let input = ClusterInput {
        nodes: vec![
            node("c::search", &["SearchQuery"]),
            node("c::search", &["SearchResult"]),
            node("c::search::keybindings", &["KeyRule"]),
            node("c::billing", &["Invoice"]),
            node("c::billing", &["Refund"]),
        ],
        layers: vec![],
    };
    let domains = [0, 0, 1, 2, 2];
    assert_eq!(
        named(&input, &domains, &[]),
        vec!["search", "search_keybindings", "billing"]
    );
    // Under a layer folder (`v1::endpoints::*`), the folder's name makes no domain a part,
    // and names none either (an organisation folder): the first domain takes its next word.
    assert_eq!(
        named(&input, &domains, &["search"]),
        vec!["query", "keybindings", "billing"]
    );
    // A part is smaller than its whole: a bigger domain under `search` keeps its own name.
    let bigger = ClusterInput {
        nodes: vec![
            node("c::search", &["new"]),
            node("c::search::keybindings", &["KeyRule"]),
            node("c::search::keybindings", &["KeyMap"]),
            node("c::billing", &["Invoice"]),
        ],
        layers: vec![],
    };
    assert_eq!(
        named(&bigger, &[0, 1, 1, 2], &[]),
        vec!["search", "keybindings", "billing"]
    );
}

#[test]
fn two_domains_of_one_crate_are_not_parts_of_each_other() {
    // Both domains live in `lab_share`, so each is under the other's name: neither is a part.
    let input = ClusterInput {
        nodes: vec![
            node("lab_share::session", &["Session"]),
            node("lab_share::session", &["Viewer"]),
            node("lab_share::transport", &["Frame"]),
            node("other::billing", &["Invoice"]),
        ],
        layers: vec![],
    };
    let names = named(&input, &[0, 0, 1, 2], &[]);
    assert!(
        !names[0].contains('_') && !names[1].contains('_'),
        "{names:?}"
    );
}

#[test]
fn a_domain_is_named_after_a_table_it_owns_over_a_word_that_names_no_table() {
    // Domain 0's best word is its folder `feeds`, one of three; it writes `notifications`.
    let mut input = ClusterInput {
        nodes: vec![
            node("c::feeds", &["Notification"]),
            node("c::inbox", &["mark_read"]),
            node("c::outbox", &["notify"]),
            node("c::billing", &["Invoice"]),
        ],
        layers: vec![],
    };
    let suggestion = suggestion_of(&[0, 0, 0, 1]);
    let hints = owning(&[&["notifications"], &[]]);
    assert_eq!(
        domain_names_with(&input, &suggestion, &hints),
        vec!["notification", "billing"]
    );
    // The best word names a table (another domain's): it stays.
    let hints = owning(&[&["notifications"], &["feeds"]]);
    assert_eq!(domain_names_with(&input, &suggestion, &hints)[0], "feeds");
    assert_eq!(
        domain_names(&input, &suggestion),
        vec!["feeds", "billing"],
        "without tables"
    );
    // A word most of the domain's items carry stays: the team named its module so.
    for n in &mut input.nodes[..3] {
        n.module = "c::feeds".to_owned();
    }
    let hints = owning(&[&["notifications"], &[]]);
    assert_eq!(domain_names_with(&input, &suggestion, &hints)[0], "feeds");
}

#[test]
fn a_numeronym_in_a_module_path_is_one_word() {
    // `k2v` split into `k`, `2`, `v`: letters too short to keep, so garage's K2V domain was
    // named after a word of its code (`causality`).
    let input = ClusterInput {
        nodes: vec![
            node("g::k2v::causality", &["CausalContext"]),
            node("g::k2v::item_table", &["Item"]),
            node("g::k2v::rpc", &["poll"]),
            node("g::block::manager", &["BlockManager"]),
            node("g::api::v1::router", &["Router"]),
            node("g::api::oauth2::token", &["Token"]),
        ],
        layers: vec![],
    };
    let names = named(&input, &[0, 0, 0, 1, 2, 3], &[]);
    assert_eq!(names[0], "k2v");
    assert_eq!(names[1], "block");
    assert_ne!(names[2], "v1", "a version tag is not a numeronym");
    assert_ne!(names[3], "oauth2", "nor a word with a number after it");
}

#[test]
fn a_domain_whose_word_is_taken_is_named_as_a_second_part_of_it() {
    // Both domains are about communities; the second one's own word is `language`.
    let input = ClusterInput {
        nodes: vec![
            node("c::community::create", &["Community"]),
            node("c::community::update", &["Community"]),
            node("c::community::language", &["Community", "Language"]),
            node("c::community::settings", &["Community"]),
            node("c::billing", &["Invoice"]),
        ],
        layers: vec![],
    };
    let names = named(&input, &[0, 0, 1, 1, 2], &[]);
    assert_eq!(names, vec!["community", "community_language", "billing"]);
    // A domain with no word of its own but inflections takes the next free term, as before
    // (`names_are_unique`: `order`, not `orders_order`).
}

#[test]
fn a_domain_is_named_after_the_subject_its_tables_share() {
    // Domain 0 writes three tables of one subject (`person_…`); its best word `combined`
    // (the tables' suffix, the folder of three of its seven items) names no table.
    let input = ClusterInput {
        nodes: vec![
            node("c::combined::content", &["Content"]),
            node("c::combined::liked", &["PersonLiked"]),
            node("c::combined::saved", &["PersonSaved"]),
            node("c::fetcher", &["resolve"]),
            node("c::search", &["query"]),
            node("c::listing", &["page"]),
            node("c::export", &["dump"]),
            node("c::billing", &["Invoice"]),
        ],
        layers: vec![],
    };
    let suggestion = suggestion_of(&[0, 0, 0, 0, 0, 0, 0, 1]);
    let hints = |tables: &[&str]| owning(&[tables, &[]]);
    assert_eq!(
        domain_names(&input, &suggestion)[0],
        "combined",
        "without tables"
    );
    let combined = [
        "person_content_combined",
        "person_liked_combined",
        "person_saved_combined",
    ];
    assert_eq!(
        domain_names_with(&input, &suggestion, &hints(&combined))[0],
        "person"
    );
    // One table of the subject among others is no shared subject.
    let mixed = ["person_content_combined", "post_saved", "comment_liked"];
    assert_eq!(
        domain_names_with(&input, &suggestion, &hints(&mixed))[0],
        "combined"
    );
}

#[test]
fn a_domain_in_a_folder_the_code_base_repeats_is_named_as_its_member() {
    // `rooms` is a folder of the service and of the database: a subject both have a slice
    // of. `tools` is a folder in one place only: an organisation folder.
    let input = ClusterInput {
        nodes: vec![
            node("c::service::rooms::spaces", &["Hierarchy"]),
            node("c::service::rooms::spaces", &["Summary"]),
            node("c::database::rooms::timeline", &["Pdu"]),
            node("c::database::rooms::timeline", &["Pdu"]),
            node("c::tools::history", &["Entry"]),
            node("c::tools::history", &["Entry"]),
            node("c::billing", &["Invoice"]),
        ],
        layers: vec![],
    };
    assert_eq!(
        named(&input, &[0, 0, 1, 1, 2, 2, 3], &[]),
        vec!["rooms_spaces", "rooms_timeline", "history", "billing"]
    );
    // Half of a domain's items in the folder is enough; fewer (two of five) are not.
    let names = named(&input, &[0, 0, 1, 1, 1, 1, 1], &[]);
    assert!(!names[1].starts_with("rooms_"), "{names:?}");
}

#[test]
fn a_word_ending_several_module_names_is_their_kind_not_the_domains_name() {
    // `table` ends `object_table`, `version_table` and `bucket_table`; `object_table` holds
    // most of the domain, so it says what the domain keeps.
    let input = ClusterInput {
        nodes: vec![
            node("g::s3::object_table", &["Object"]),
            node("g::s3::object_table", &["ObjectVersion"]),
            node("g::s3::object_table", &["ObjectState"]),
            node("g::s3::version_table", &["Version"]),
            node("g::bucket_table", &["Bucket"]),
            node("g::block::manager", &["BlockManager"]),
            node("g::db::sqlite_adapter", &["Tx"]),
            node("g::db::sqlite_adapter", &["Sqlite"]),
            node("g::db::lmdb_adapter", &["Tx"]),
            node("g::db::lmdb_adapter", &["Lmdb"]),
        ],
        layers: vec![],
    };
    let names = named(&input, &[0, 0, 0, 0, 0, 1, 2, 2, 2, 2], &[]);
    assert_eq!(names[0], "object_table");
    // Sibling kinds of equal standing: the kind is what the domain is about.
    assert_eq!(names[2], "adapter");
}

#[test]
fn a_module_name_wins_over_a_word_no_module_spells() {
    // `public` comes from function names (`get_public_rooms`); the items live in `directory`.
    let input = ClusterInput {
        nodes: vec![
            node("c::directory", &["get_public_rooms"]),
            node("c::directory", &["set_public_flag"]),
            node("c::federation", &["public_keys"]),
            node("c::billing", &["Invoice"]),
            node("c::articles", &["Article", "ArticleSlug"]),
            node("c::articles", &["ArticleBody"]),
            node("c::feed", &["article_feed"]),
        ],
        layers: vec![],
    };
    let names = named(&input, &[0, 0, 0, 1, 2, 2, 2], &[]);
    assert_eq!(names[0], "directory");
    // A module spelling the word inflected spells it: `article` stays.
    assert_eq!(names[2], "article");
}

#[test]
fn an_organisation_folder_names_none_of_the_domains_it_holds() {
    // `components` holds half the items of three domains: the UI's way of organising code.
    let items = |second: &str| ClusterInput {
        nodes: vec![
            node("app::components::user", &[]),
            node(second, &[]),
            node("app::components::group", &[]),
            node(second, &[]),
            node("app::components::attribute", &[]),
            node(second, &[]),
            node("app::billing", &[]),
            node("app::billing", &[]),
        ],
        layers: vec![],
    };
    let domains = [0, 0, 1, 1, 2, 2, 3, 3];
    assert_eq!(
        named(&items("app::components"), &domains, &[]),
        vec!["user", "group", "attribute", "billing"]
    );
    // A folder the tree repeats under two parents (`app::components`, `web::components`)
    // is a subject each tree has a slice of, and names its domain.
    assert_eq!(
        named(&items("web::components::x"), &domains, &[]),
        vec![
            "components",
            "components_group",
            "components_attribute",
            "billing"
        ]
    );
    // A layer of the module tree is an organisation folder even in one domain.
    let admin = ClusterInput {
        nodes: vec![
            node("app::admin::bucket", &[]),
            node("app::admin", &[]),
            node("app::billing", &[]),
        ],
        layers: vec![],
    };
    assert_eq!(named(&admin, &[0, 0, 1], &[]), vec!["admin", "billing"]);
    assert_eq!(
        named(&admin, &[0, 0, 1], &["admin"]),
        vec!["bucket", "billing"]
    );
}

#[test]
fn a_domain_is_named_as_its_aspect_of_a_broader_subject_it_carries() {
    // Domain 0 keeps the attempts of messages: `attempt` is typical of it alone (3 of its 7
    // items), `message` is carried by more of its items (5) and lives in its modules, but the
    // message and billing domains carry it too, so it ranks lower.
    let input = |fourth: &str| ClusterInput {
        nodes: vec![
            node("c::attempt", &["retry"]),
            node("c::attempt", &["Attempt"]),
            node("c::message", &["MessageAttempt"]),
            node(&format!("c::{fourth}"), &["message"]),
            node("c::message", &["message_payload"]),
            node("c::message", &["message_body"]),
            node("c::message", &["message_header"]),
            node("c::messages", &["Message"]),
            node("c::messages", &["send"]),
            node("c::billing", &["Invoice", "message"]),
            node("c::billing", &["Refund"]),
        ],
        layers: vec![],
    };
    let domains = [0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2];
    let names = named(&input("message"), &domains, &[]);
    assert_eq!(names[0], "message_attempt", "{names:?}");
    assert_eq!(names[1], "messages");
    // A word most of the domain's items carry (4 of 7) is its own subject: it stays.
    let names = named(&input("attempt"), &domains, &[]);
    assert_eq!(names[0], "attempt", "{names:?}");
}

#[test]
fn a_best_word_mostly_spelled_in_one_compound_module_name_is_named_by_it() {
    // `prefetch` is carried by all five items, four of them in `cratesio_prefetch_api`: the
    // module's name, its layer word dropped, says whose prefetch it is.
    let nodes_in = |compound: &str, in_compound: usize| {
        let mut nodes: Vec<NodeInfo> = (0..5)
            .map(|i| match i < in_compound {
                true => node(compound, &["PrefetchMsg"]),
                false => node("k::worker", &["Prefetch"]),
            })
            .collect();
        nodes.push(node("k::billing", &["Invoice"]));
        ClusterInput {
            nodes,
            layers: vec![],
        }
    };
    let nodes = |in_compound: usize| nodes_in("k::cratesio_prefetch_api", in_compound);
    let domains = [0, 0, 0, 0, 0, 1];
    assert_eq!(
        named(&nodes(4), &domains, &[])[0],
        "cratesio_prefetch",
        "four of five items in the compound"
    );
    // Two of five: the word is spread beyond the compound and names the domain alone.
    assert_eq!(named(&nodes(2), &domains, &[])[0], "prefetch");
    // The word first in the compound is its owner, not its head: `prefetch_queue` is a
    // thing of the prefetch, which stays the domain's name.
    let owner_first = nodes_in("k::prefetch_queue", 4);
    assert_eq!(named(&owner_first, &domains, &[])[0], "prefetch");
}

#[test]
fn a_subject_the_vocabulary_drops_names_a_domain_whose_tables_share_it() {
    // `crate` is a programming word to the vocabulary (Rust's `crate::`), but three of the
    // domain's four tables are the crate's: its subject. The best word, `operations`, is
    // carried by two of five items and names no table.
    let input = ClusterInput {
        nodes: vec![
            node("k::operations", &["Ops"]),
            node("k::operations", &["Ops"]),
            node("k::index", &["Entry"]),
            node("k::meta", &["Summary"]),
            node("k::author", &["Name"]),
            node("k::billing", &["Invoice"]),
        ],
        layers: vec![],
    };
    let suggestion = suggestion_of(&[0, 0, 0, 0, 0, 1]);
    let hints = |tables: &[&str]| owning(&[tables, &["invoice"]]);
    let crates = ["crate_meta", "crate_index", "crate_author", "session"];
    assert_eq!(
        domain_names_with(&input, &suggestion, &hints(&crates))[0],
        "crate"
    );
    assert_eq!(domain_names(&input, &suggestion)[0], "operations");
    // A shared head that is no programming word must still be a word of the domain's items.
    let orders = ["order_meta", "order_index", "order_author", "session"];
    assert_eq!(
        domain_names_with(&input, &suggestion, &hints(&orders))[0],
        "operations"
    );
}

#[test]
fn a_word_spelled_only_as_the_kind_of_module_names_is_no_broader_subject() {
    // Domain 0 keeps object lifecycles: `lifecycle` is typical of it alone (3 of 8 items);
    // `table` (5 items) and `object` (4) are carried by more of its items and by other
    // domains. `table` is spelled only as the last word of `object_table`, `version_table`,
    // `mpu_table`: their kind. The broader subject is `object`, the head of one of them.
    let input = |last: &str| ClusterInput {
        nodes: vec![
            node("c::lifecycle", &["LifecycleRule"]),
            node("c::lifecycle", &["lifecycle_worker"]),
            node("c::lifecycle", &["Lifecycle"]),
            node("c::object_table", &["ObjectEntry"]),
            node("c::object_table", &["Entry"]),
            node("c::version_table", &["ObjectVersion"]),
            node("c::version_table", &["ObjectVersion"]),
            node(&format!("c::{last}"), &["Part"]),
            node("c::table", &["Table", "Object"]),
            node("c::table", &["Table", "Object"]),
            node("c::billing", &["InvoiceTable"]),
        ],
        layers: vec![],
    };
    let domains = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2];
    let names = named(&input("mpu_table"), &domains, &[]);
    assert_eq!(names[0], "object_lifecycle", "{names:?}");
    // A module spelling `table` alone makes it a subject of the domain again.
    let names = named(&input("table"), &domains, &[]);
    assert_eq!(names[0], "table_lifecycle", "{names:?}");
}

#[test]
fn a_keyword_spelled_another_way_names_the_domain_as_meant() {
    // `krate` is how Rust code spells `crate`, a keyword, in a module name.
    let input = ClusterInput {
        nodes: vec![
            node("k::krate", &["KrateSummary"]),
            node("k::krate", &["Krate"]),
            node("k::typ", &["TypAlias"]),
            node("k::billing", &["Invoice"]),
        ],
        layers: vec![],
    };
    let names = named(&input, &[0, 0, 1, 2], &[]);
    assert_eq!(names, vec!["crate", "type", "billing"]);
}
