//! Table names in SQL text: the tables a string literal reads (`FROM`, `JOIN`) or writes
//! (`INSERT INTO`, `UPDATE`, `DELETE FROM`). A lexical scan, not a SQL parser: it only has to
//! find table names in the queries monoliths pass to sqlx, postgres or rusqlite.

use super::facts::TableAccess;

/// Tables named in `text`, in order of appearance, or nothing when the text does not look
/// like SQL (a statement keyword must start it).
pub fn tables_in(text: &str) -> Vec<(String, TableAccess)> {
    let words = tokenize(text);
    let Some(first) = words.first() else {
        return Vec::new();
    };
    let first = first.to_ascii_uppercase();
    if !matches!(
        first.as_str(),
        "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH" | "MERGE" | "UPSERT" | "REPLACE"
    ) {
        return Vec::new();
    }
    // `WITH inserted AS (INSERT INTO comment ..) SELECT .. FROM inserted`: a common table
    // expression is named like a table but is the query's own; `name AS (` only names one.
    let ctes: Vec<String> = words
        .windows(3)
        .filter(|w| w[1].eq_ignore_ascii_case("AS") && w[2] == "(")
        .filter_map(|w| table_name(&w[0]))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i].to_ascii_uppercase();
        let next = words.get(i + 1).map(|w| w.as_str());
        let access = match word.as_str() {
            "FROM" if i > 0 && words[i - 1].eq_ignore_ascii_case("DELETE") => {
                Some(TableAccess::Write)
            }
            "FROM" | "JOIN" => Some(TableAccess::Read),
            "INTO" => Some(TableAccess::Write),
            "UPDATE" if i == 0 || !words[i - 1].eq_ignore_ascii_case("DO") => {
                Some(TableAccess::Write)
            }
            _ => None,
        };
        if let (Some(access), Some(name)) = (access, next)
            && let Some(table) = table_name(name)
            && !ctes.contains(&table)
            && !out.iter().any(|(t, a)| t == &table && *a == access)
        {
            out.push((table, access));
        }
        i += 1;
    }
    out
}

/// `public.orders` → `orders`; `"Orders"` → `orders`; keywords and subqueries are not tables.
fn table_name(word: &str) -> Option<String> {
    let name = word.rsplit('.').next()?.trim_matches('"').trim_matches('`');
    let upper = name.to_ascii_uppercase();
    let is_ident = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let keyword = matches!(
        upper.as_str(),
        "SELECT" | "LATERAL" | "ONLY" | "UNNEST" | "VALUES" | "TABLE" | "IF" | "EXISTS"
            // English words: UI strings such as "Select a product from the list".
            | "THE" | "A" | "AN" | "THIS" | "THAT" | "YOUR" | "MY" | "OUR" | "IT" | "HERE"
    );
    (is_ident && !keyword).then(|| name.to_ascii_lowercase())
}

/// Words of the SQL text: identifiers (possibly qualified or quoted) and `(`, which tells a
/// common table expression (`name AS (`) from an alias; other punctuation and literals split
/// words and are dropped.
fn tokenize(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_string = false;
    for c in text.chars() {
        if in_string {
            in_string = c != '\'';
            continue;
        }
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '"' | '`') {
            current.push(c);
        } else {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            if c == '(' {
                words.push("(".to_owned());
            }
            in_string = c == '\'';
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use TableAccess::*;

    fn t(sql: &str) -> Vec<(String, TableAccess)> {
        tables_in(sql)
    }

    #[test]
    fn reads_and_writes() {
        assert_eq!(
            t("SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id"),
            vec![("orders".into(), Read), ("customers".into(), Read)]
        );
        assert_eq!(
            t("insert into public.invoices (id) values ($1)"),
            vec![("invoices".into(), Write)]
        );
        assert_eq!(
            t("UPDATE stock SET qty = qty - $1"),
            vec![("stock".into(), Write)]
        );
        assert_eq!(
            t("DELETE FROM \"Sessions\" WHERE id = $1"),
            vec![("sessions".into(), Write)]
        );
    }

    #[test]
    fn upsert_update_clause_is_not_a_table() {
        assert_eq!(
            t("INSERT INTO carts (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET id = $1"),
            vec![("carts".into(), Write)]
        );
    }

    #[test]
    fn common_table_expressions_are_not_tables() {
        assert_eq!(
            t(
                "with inserted_comment as (insert into article_comment(article_id, body) \
               select article_id, $1 from article where slug = $2 returning comment_id) \
               select comment_id from inserted_comment \
               inner join \"user\" author using (user_id)"
            ),
            vec![
                ("article_comment".into(), Write),
                ("article".into(), Read),
                ("user".into(), Read)
            ]
        );
        assert_eq!(
            t("WITH RECURSIVE a AS (SELECT 1), b AS (SELECT id FROM orders) SELECT * FROM b"),
            vec![("orders".into(), Read)]
        );
        assert_eq!(
            t("SELECT CAST(total AS numeric) FROM invoices"),
            vec![("invoices".into(), Read)],
            "`AS` before a type is not a CTE"
        );
    }

    #[test]
    fn prose_and_subqueries_are_ignored() {
        assert!(t("Select a product from the list").is_empty());
        assert!(t("Please update from the menu").is_empty());
        assert_eq!(
            t("SELECT * FROM (SELECT id FROM users) AS u"),
            vec![("users".into(), Read)]
        );
        assert!(t("").is_empty());
        assert_eq!(
            t("SELECT 'from nowhere' FROM rooms"),
            vec![("rooms".into(), Read)]
        );
    }
}
