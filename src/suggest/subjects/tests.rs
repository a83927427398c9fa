//! Cross-layer subjects on small module trees, and their effect on a whole suggestion.

use std::collections::BTreeMap;

use super::{module_subjects, normalized, subject_name, with_table_nouns};
use crate::suggest::{SuggestOptions, suggest};
use crate::test_support::AnalyzeOptions;
use crate::test_support::annotations::analyze_fixture;

fn subjects(modules: &[&str]) -> BTreeMap<String, String> {
    module_subjects(modules.iter().copied())
}

/// The suggested domain of each module of `fixture`, at the shipped options; a module in the
/// kernel fails the test.
fn suggested_domains(fixture: &str) -> impl Fn(&str) -> usize {
    let suggestion = suggest(
        &analyze_fixture(fixture, AnalyzeOptions::default()),
        &SuggestOptions::default(),
    );
    move |module| {
        suggestion.modules[module]
            .domain
            .unwrap_or_else(|| panic!("{module} is in a domain: {:#?}", suggestion.modules))
    }
}

fn subject<'a>(found: &'a BTreeMap<String, String>, module: &str) -> Option<&'a str> {
    found.get(module).map(String::as_str)
}

#[test]
fn names_compare_without_case_or_underscores() {
    assert_eq!(normalized("Posts"), "posts");
    assert_eq!(normalized("event_type"), "eventtype");
    assert_eq!(normalized("eventtype"), "eventtype");
}

#[test]
fn a_name_under_two_layers_is_a_subject_and_the_rest_keep_the_word_list_rule() {
    let found = subjects(&[
        "app::endpoints",
        "app::endpoints::post",
        "app::endpoints::comment",
        "app::endpoints::post::create",
        "app::endpoints::post::delete",
        "app::endpoints::comment::create",
        "app::endpoints::comment::delete",
        "app::endpoints::event_type",
        "app::records::post",
        "app::records::comment",
        "app::records::eventtype",
        "app::records::audit_entry",
        "app::config",
    ]);
    assert_eq!(subject(&found, "app::endpoints::post"), Some("post"));
    assert_eq!(subject(&found, "app::records::post"), Some("post"));
    assert_eq!(
        subject(&found, "app::endpoints::event_type"),
        Some("eventtype"),
        "one subject however the layers spell it"
    );
    assert_eq!(
        subject(&found, "app::records::eventtype"),
        Some("eventtype")
    );
    assert_eq!(
        subject(&found, "app::records::audit_entry"),
        Some("audit_entry"),
        "under one layer only: the word-list rule, which links nothing here"
    );
    assert_eq!(
        subject(&found, "app::endpoints::post::create"),
        Some("create"),
        "below a subject: the word-list rule"
    );
    assert_eq!(
        subject(&found, "app::endpoints"),
        None,
        "a layer has no subject"
    );
    assert_eq!(subject(&found, "app::config"), None);
}

#[test]
fn a_compound_name_is_the_subject_its_leading_words_name() {
    let found = subjects(&[
        "app::views::community_follower",
        "app::views::post",
        "app::views::comment",
        "app::views::tag",
        "app::db::community",
        "app::db::post",
        "app::db::comment",
        "app::db::tag",
        "app::api::community",
        "app::api::post",
        "app::api::comment",
        "app::api::tag",
    ]);
    assert_eq!(
        subject(&found, "app::views::community_follower"),
        Some("community")
    );
}

#[test]
fn a_top_level_module_named_after_a_subject_of_the_layers_takes_it() {
    let found = subjects(&[
        "app::api::key",
        "app::api::bucket",
        "app::api::object",
        "app::cli::key",
        "app::cli::bucket",
        "app::cli::object",
        "store::key_table",
        "store::bucket_alias_table",
        "store::snapshot",
    ]);
    assert_eq!(subject(&found, "store::key_table"), Some("key"));
    assert_eq!(subject(&found, "store::bucket_alias_table"), Some("bucket"));
    assert_eq!(
        subject(&found, "store::snapshot"),
        None,
        "a top-level module named after no subject has none"
    );
    assert_eq!(subject(&found, "store"), None, "nor has a crate root");
}

#[test]
fn two_children_in_common_are_not_a_layer() {
    let found = subjects(&[
        "app::endpoints::posts",
        "app::endpoints::event_type",
        "app::endpoints::health",
        "app::records::posts",
        "app::records::eventtype",
        "app::records::migrations",
    ]);
    assert_eq!(
        subject(&found, "app::endpoints::event_type"),
        Some("event_type"),
        "no layers: the word-list rule, which does not compare spellings"
    );
    assert_eq!(
        subject(&found, "app::records::eventtype"),
        Some("eventtype")
    );
}

#[test]
fn one_subject_mirrored_in_two_layers_is_not_a_layer_of_its_own() {
    // `protocol::community` repeats `community`'s children: the same subject, so `lock` and
    // `warn` do not become subjects across layers.
    let found = subjects(&[
        "app::activities::community::lock",
        "app::activities::community::warn",
        "app::activities::community::collection_add",
        "app::activities::post",
        "app::activities::comment",
        "app::activities::protocol::community",
        "app::activities::protocol::community::lock",
        "app::activities::protocol::community::warn",
        "app::activities::protocol::community::collection_add",
        "app::activities::protocol::post",
        "app::activities::protocol::comment",
    ]);
    assert_eq!(
        subject(&found, "app::activities::protocol::community"),
        Some("community")
    );
    assert_eq!(
        subject(&found, "app::activities::protocol::post"),
        Some("post")
    );
}

#[test]
fn crates_of_one_family_are_subjects_under_the_family() {
    let found = subjects(&[
        "shop_views_order",
        "shop_views_invoice",
        "shop_views_invoice::api",
        "shop_views_customer",
        "shop_api::order",
        "shop_api::invoice",
        "shop_api::customer",
        "shop_utils",
    ]);
    assert_eq!(subject(&found, "shop_views_order"), Some("order"));
    assert_eq!(subject(&found, "shop_views_invoice::api"), None);
    assert_eq!(subject(&found, "shop_api::invoice"), Some("invoice"));
    assert_eq!(subject(&found, "shop_utils"), None);
}

#[test]
fn sibling_crates_are_layers_when_their_parent_is_not_one() {
    let found = subjects(&[
        "registry_db::user",
        "registry_db::group",
        "registry_db::krate",
        "registry_entity::user",
        "registry_entity::group",
        "registry_entity::krate",
        "registry_entity::webhook",
        "registry_web::session",
    ]);
    assert_eq!(subject(&found, "registry_db::group"), Some("group"));
    assert_eq!(subject(&found, "registry_entity::group"), Some("group"));
    assert_eq!(
        subject(&found, "registry_entity::webhook"),
        None,
        "a name under one layer only links nothing"
    );
}

/// A workspace layered by technology, one crate per read model, with no `use` between its
/// layers: the API's `post` module and the `blog_views_post` crate share only their subject,
/// while each layer's own words (`reply`, `row`, `load`) tie it together.
const LAYERED: &str = r#"
//- /api/src/lib.rs crate:blog_api
pub mod post;
pub mod comment;
pub mod tag;
//- /api/src/post.rs
pub fn publish_entry(reply: &str) -> usize { reply.len() }
pub fn retract_entry(reply: &str) -> bool { reply.is_empty() }
//- /api/src/comment.rs
pub fn leave_remark(reply: &str) -> usize { reply.len() }
pub fn erase_remark(reply: &str) -> bool { reply.is_empty() }
//- /api/src/tag.rs
pub fn attach_label(reply: &str) -> bool { reply.is_empty() }
pub fn detach_label(reply: &str) -> bool { reply.is_empty() }
//- /views_post/src/lib.rs crate:blog_views_post
pub struct HeadlineRow { pub row: u32 }
pub fn load_headline_row(row: u32) -> Option<HeadlineRow> { let _ = row; None }
//- /views_comment/src/lib.rs crate:blog_views_comment
pub struct NoteRow { pub row: u32 }
pub fn load_note_row(row: u32) -> Option<NoteRow> { let _ = row; None }
//- /views_tag/src/lib.rs crate:blog_views_tag
pub struct BadgeRow { pub row: u32 }
pub fn load_badge_row(row: u32) -> Option<BadgeRow> { let _ = row; None }
//- /utils/src/lib.rs crate:blog_utils
pub fn trimmed(text: &str) -> &str { text.trim() }
"#;

#[test]
fn modules_of_one_subject_in_different_layers_end_up_in_one_domain() {
    let domain = suggested_domains(LAYERED);
    assert_eq!(domain("blog_api::post"), domain("blog_views_post"));
    assert_eq!(domain("blog_api::comment"), domain("blog_views_comment"));
    assert_ne!(domain("blog_api::post"), domain("blog_api::comment"));
    assert_ne!(domain("blog_views_post"), domain("blog_views_comment"));
}

#[test]
fn http_verbs_are_not_subjects() {
    assert_eq!(subject_name("c::routes::login::get"), Some("login"));
    assert_eq!(
        subject_name("c::routes::admin::newsletter::post"),
        Some("newsletter")
    );
}

#[test]
fn the_subject_of_a_module_skips_layer_words() {
    assert_eq!(subject_name("c::service::media::data"), Some("media"));
    assert_eq!(
        subject_name("c::database::key_value::rooms::alias"),
        Some("alias")
    );
    assert_eq!(subject_name("c::api::client_server::media"), Some("media"));
    assert_eq!(
        subject_name("c::app::features::article::controllers"),
        Some("article")
    );
    assert_eq!(subject_name("c::users::model"), Some("users"));
}

#[test]
fn layers_and_top_level_modules_have_no_subject() {
    assert_eq!(subject_name("c"), None);
    assert_eq!(subject_name("c::media"), None);
    assert_eq!(subject_name("c::api::client_server"), None);
}

#[test]
fn a_subject_naming_a_table_row_becomes_that_row_noun() {
    let found = with_table_nouns(
        [
            ("ui::create_group", "create_group"),
            (
                "store::sql_group_backend_handler",
                "sql_group_backend_handler",
            ),
            ("model::groups", "groups"),
            ("ui::create_user_attribute", "create_user_attribute"),
            ("ui::user_details_form", "user_details_form"),
            ("ui::category_picker", "category_picker"),
            ("api::status", "status"),
            ("ui::banner", "banner"),
        ]
        .into_iter()
        .map(|(m, s)| (m.to_owned(), s.to_owned()))
        .collect(),
        [
            "groups",
            "users",
            "user_attributes",
            "public.categories",
            "statuses",
        ],
    );
    let subject = |m: &str| found[m].as_str();
    assert_eq!(subject("ui::create_group"), "group");
    assert_eq!(subject("store::sql_group_backend_handler"), "group");
    assert_eq!(subject("model::groups"), "group", "the table's own module");
    assert_eq!(
        subject("ui::create_user_attribute"),
        "userattribute",
        "the longest run of words that is a table wins over `user`"
    );
    assert_eq!(subject("ui::user_details_form"), "user");
    assert_eq!(
        subject("ui::category_picker"),
        "category",
        "`ies` plurals, schema prefix"
    );
    assert_eq!(
        subject("api::status"),
        "status",
        "a singular ending in `s` stays"
    );
    assert_eq!(
        subject("ui::banner"),
        "banner",
        "no table: the subject is kept"
    );
}

#[test]
fn without_tables_the_subjects_are_kept() {
    let subjects: BTreeMap<String, String> =
        [("ui::create_group".to_owned(), "create_group".to_owned())].into();
    assert_eq!(with_table_nouns(subjects.clone(), []), subjects);
}

/// A workspace layered by technology whose UI and storage crates never call each other and
/// share no words: only the tables the storage writes and the module names of both layers say
/// which UI page belongs with which storage module.
const LAYERED_BY_TABLE: &str = r#"
//- /store/src/lib.rs crate:app_store
pub mod sql;
//- /store/src/sql/mod.rs
pub mod sql_group_handler;
pub mod sql_user_handler;
//- /store/src/sql/sql_group_handler.rs
pub fn insert_row(db: &str) -> usize { let q = "INSERT INTO groups (name) VALUES ($1)"; db.len() + q.len() }
pub fn delete_row(db: &str) -> usize { let q = "DELETE FROM groups WHERE id = $1"; db.len() + q.len() }
//- /store/src/sql/sql_user_handler.rs
pub fn insert_record(conn: &str) -> usize { let q = "INSERT INTO users (name) VALUES ($1)"; conn.len() + q.len() }
pub fn delete_record(conn: &str) -> usize { let q = "DELETE FROM users WHERE id = $1"; conn.len() + q.len() }
//- /ui/src/lib.rs crate:app_ui
pub mod pages;
//- /ui/src/pages/mod.rs
pub mod create_group;
pub mod group_table;
pub mod create_user;
pub mod user_table;
//- /ui/src/pages/create_group.rs
pub fn sketch(hue: &str) -> usize { hue.len() }
//- /ui/src/pages/group_table.rs
pub fn tabulate(width: &str) -> usize { width.len() }
//- /ui/src/pages/create_user.rs
pub fn compose(tone: &str) -> usize { tone.len() }
//- /ui/src/pages/user_table.rs
pub fn arrange(depth: &str) -> usize { depth.len() }
"#;

#[test]
fn pages_named_after_a_table_join_the_code_that_writes_it() {
    let domain = suggested_domains(LAYERED_BY_TABLE);
    assert_eq!(
        domain("app_ui::pages::create_group"),
        domain("app_store::sql::sql_group_handler")
    );
    assert_eq!(
        domain("app_ui::pages::group_table"),
        domain("app_store::sql::sql_group_handler")
    );
    assert_eq!(
        domain("app_ui::pages::create_user"),
        domain("app_store::sql::sql_user_handler")
    );
    assert_eq!(
        domain("app_ui::pages::user_table"),
        domain("app_store::sql::sql_user_handler")
    );
    assert_ne!(
        domain("app_ui::pages::create_group"),
        domain("app_ui::pages::create_user")
    );
}
