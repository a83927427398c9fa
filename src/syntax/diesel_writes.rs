//! Writes through diesel's query builder: `diesel::insert_into(orders::table)`,
//! `update(schema::orders::table.find(id))`, `delete(orders.filter(..))` with
//! `use schema::orders::dsl::*`. Naming the table item alone reads as a read, so without this
//! a table that only diesel writes had no writer, and its ownership fell to whichever domain
//! held the schema module.

use super::facts::Pos;
use super::paths::path_pos;

/// Diesel's statement builders that write the table they are given.
const WRITERS: &[&str] = &[
    "delete",
    "insert_into",
    "insert_or_ignore_into",
    "replace_into",
    "update",
];

/// The table a diesel write statement names, and where: `None` when `call` is not one.
pub(super) fn diesel_write(call: &syn::ExprCall) -> Option<(String, Pos)> {
    let syn::Expr::Path(func) = &*call.func else {
        return None;
    };
    let segments: Vec<String> = (func.path.segments.iter())
        .map(|s| s.ident.to_string())
        .collect();
    let last = segments.last()?;
    if !WRITERS.contains(&last.as_str()) || call.args.len() != 1 {
        return None;
    }
    // `update(x)` alone may be anyone's function; a table path (`orders::table`,
    // `dsl::orders`) says diesel, and so does a call spelled `diesel::update`.
    let spelled_diesel = segments.len() == 2 && segments[0] == "diesel";
    let (table, path) = table_of(call.args.first()?, spelled_diesel)?;
    Some((table, path_pos(path)))
}

/// The table an argument of a write statement names, through method chains
/// (`orders::table.filter(..).find(id)`).
fn table_of(arg: &syn::Expr, bare_ident_is_table: bool) -> Option<(String, &syn::Path)> {
    match arg {
        syn::Expr::MethodCall(m) => table_of(&m.receiver, bare_ident_is_table),
        syn::Expr::Reference(r) => table_of(&r.expr, bare_ident_is_table),
        syn::Expr::Paren(p) => table_of(&p.expr, bare_ident_is_table),
        syn::Expr::Path(p) if p.qself.is_none() => {
            let names: Vec<String> = (p.path.segments.iter())
                .map(|s| s.ident.to_string())
                .collect();
            let table = match names.as_slice() {
                [.., table, last] if last == "table" => table.clone(),
                [.., table, dsl, _] if dsl == "dsl" => table.clone(),
                [only] if bare_ident_is_table => only.clone(),
                _ => return None,
            };
            Some((table, &p.path))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_of(expr: &str) -> Option<String> {
        let call: syn::ExprCall = syn::parse_str(expr).expect("a call");
        diesel_write(&call).map(|(table, _)| table)
    }

    #[test]
    fn diesel_statements_name_the_table_they_write() {
        assert_eq!(
            write_of("insert_into(schema::order_lines::table)").as_deref(),
            Some("order_lines")
        );
        assert_eq!(
            write_of("diesel::insert_into(order_lines::table)").as_deref(),
            Some("order_lines")
        );
        assert_eq!(
            write_of("diesel::update(orders::table.find(id))").as_deref(),
            Some("orders")
        );
        assert_eq!(
            write_of("update(schema::orders::dsl::orders.filter(x))").as_deref(),
            Some("orders")
        );
        assert_eq!(
            write_of("diesel::delete(carts.filter(id.eq(1)))").as_deref(),
            Some("carts")
        );
        assert_eq!(write_of("diesel::delete(&carts)").as_deref(), Some("carts"));
    }

    #[test]
    fn other_calls_named_like_them_are_not_writes() {
        // A bare argument to an unqualified `update` may be anything.
        assert_eq!(write_of("update(state)"), None);
        assert_eq!(write_of("update(state.clone())"), None);
        assert_eq!(write_of("insert_into(a, b)"), None);
        assert_eq!(write_of("select(orders::table)"), None);
        assert_eq!(write_of("cache::update(key::table, 1)"), None);
    }
}
