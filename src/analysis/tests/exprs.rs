//! Expressions: paths in bodies, bounds and impl headers, method calls guessed by name.
//! Each fixture is one string; `//^^^ kind target` under a reference is an edge the
//! analysis must find there, and it must find no other (see `crate::test_support::annotations`).

use super::*;

pub(super) const EXPR_PATHS: &str = r#"
//- /src/lib.rs crate:expr_paths
//! Paths in types, calls, struct literals, patterns, associated items and enum variants.
pub mod logic;
pub mod model;
//- /src/logic.rs
use crate::model::{self, Order, OrderId, Status};
                 //^^^^ use expr_paths::model
                       //^^^^^ use expr_paths::model::Order
                              //^^^^^^^ use expr_paths::model::OrderId
                                       //^^^^^^ use expr_paths::model::Status

pub fn types(o: &Order) -> Option<Status> {
               //^^^^^ type expr_paths::model::Order
                                //^^^^^^ type expr_paths::model::Status
    let _ = o;
    None
}

pub fn calls() -> Order {
                //^^^^^ type expr_paths::model::Order
    model::make()
  //^^^^^ call expr_paths::model::make
}

pub fn assoc() -> Order {
                //^^^^^ type expr_paths::model::Order
    Order::new(2)
  //^^^^^ call expr_paths::model::Order
}

pub fn literal() -> Order {
                  //^^^^^ type expr_paths::model::Order
    Order { id: 3 }
  //^^^^^ construct expr_paths::model::Order
}

pub fn tuple() -> OrderId {
                //^^^^^^^ type expr_paths::model::OrderId
    OrderId(4)
  //^^^^^^^ construct expr_paths::model::OrderId
}

pub fn variants(s: Status) -> u32 {
                 //^^^^^^ type expr_paths::model::Status
    match s {
        Status::Open => model::LIMIT,
      //^^^^^^ construct expr_paths::model::Status
                      //^^^^^ call expr_paths::model::LIMIT
        Status::Closed(n) => n,
      //^^^^^^ construct expr_paths::model::Status
    }
}

pub fn struct_pattern(o: Order) -> u32 {
                       //^^^^^ type expr_paths::model::Order
    let Order { id } = o;
      //^^^^^ construct expr_paths::model::Order
    id
}

pub fn tuple_pattern(i: OrderId) -> u32 {
                      //^^^^^^^ type expr_paths::model::OrderId
    let OrderId(n) = i;
      //^^^^^^^ construct expr_paths::model::OrderId
    n
}

pub fn statics() -> u32 {
    model::COUNTER
  //^^^^^ call expr_paths::model::COUNTER
}

pub fn variant_value() -> Status {
                        //^^^^^^ type expr_paths::model::Status
    model::Status::Closed(1)
  //^^^^^ construct expr_paths::model::Status
}
//- /src/model.rs
pub struct Order {
    pub id: u32,
}
pub struct OrderId(pub u32);
pub enum Status {
    Open,
    Closed(u32),
}
pub const LIMIT: u32 = 10;
pub static COUNTER: u32 = 0;

impl Order {
   //^^^^^ impl expr_paths::model::Order
    pub fn new(id: u32) -> Self {
        Order { id }
      //^^^^^ construct expr_paths::model::Order
    }
}

pub fn make() -> Order {
               //^^^^^ type expr_paths::model::Order
    Order::new(1)
  //^^^^^ call expr_paths::model::Order
}
"#;

#[test]
fn expression_paths_types_calls_literals_patterns_and_associated_items() {
    // `Order::new(..)`: the associated function's type is the target.
    // Reading a static or a const through a path is kind `call` (a value path).
    let a = check(EXPR_PATHS);
    assert_lines(
        module_edges(&a),
        &["expr_paths::logic -> expr_paths::model [use:4 type:10 call:4 construct:7]"],
    );
    // `Option` and `None` are std.
    assert_eq!(a.resolution.externals[&0]["std"], 2);
    assert_eq!(a.resolution.stats.unresolved, 0);
}

pub(super) const BOUNDS: &str = r#"
//- /src/lib.rs crate:bounds
//! Trait bounds, where clauses, supertraits, `dyn`/`impl Trait`, and impl headers that
//! name both the trait and the type.
pub trait Payable {
    fn pay(&self) -> u32;
}
pub trait Audit {}
pub trait Ledger: Payable {}
                //^^^^^^^ bound bounds::Payable

pub struct Invoice;
pub struct Order;
pub struct Holder<T: Audit> {
                   //^^^^^ bound bounds::Audit
    pub inner: T,
}

impl Payable for Invoice {
   //^^^^^^^ impl bounds::Payable
               //^^^^^^^ impl bounds::Invoice
    fn pay(&self) -> u32 {
        1
    }
}

impl Audit for Order {}
   //^^^^^ impl bounds::Audit
             //^^^^^ impl bounds::Order

impl From<Order> for Invoice {
        //^^^^^ type bounds::Order
                   //^^^^^^^ impl bounds::Invoice
    fn from(_o: Order) -> Self {
              //^^^^^ type bounds::Order
        Invoice
      //^^^^^^^ construct bounds::Invoice
    }
}

impl<T: Audit> Holder<T> {
      //^^^^^ bound bounds::Audit
             //^^^^^^ impl bounds::Holder
    pub fn get(&self) -> &T {
        &self.inner
    }
}

pub fn settle<P: Payable>(p: &P) -> u32 {
               //^^^^^^^ bound bounds::Payable
    p.pay()
    //^^^ call bounds::Payable
}

pub fn audit<A>(_a: A)
where
    A: Audit + Clone,
     //^^^^^ bound bounds::Audit
{
}

pub fn qualified(i: &Invoice) -> u32 {
                   //^^^^^^^ type bounds::Invoice
    <Invoice as Payable>::pay(i)
   //^^^^^^^ type bounds::Invoice
                        //^^^ call bounds::Payable
}

pub fn boxed(_p: Box<dyn Payable>) {}
                       //^^^^^^^ bound bounds::Payable

pub fn opaque() -> impl Payable {
                      //^^^^^^^ bound bounds::Payable
    Invoice
  //^^^^^^^ construct bounds::Invoice
}
"#;

#[test]
fn bounds_where_clauses_and_impl_headers() {
    // `impl From<Order> for Invoice`: the type, the generic argument; `From` is std.
    // `impl Payable for Invoice` names both.
    // Supertrait.
    // `where A: Audit + Clone`.
    // `<Invoice as Payable>::pay(i)` names the type, and calls `pay` on the trait.
    // `p.pay()` on a generic `P: Payable` calls the trait (the parameter's bound).
    let a = check(BOUNDS);
    // One module: every edge is internal.
    assert_lines(module_edges(&a), &[]);
    // `From`, `Clone`, `Box`.
    assert_eq!(a.resolution.externals[&0]["std"], 3);
    assert_eq!(a.resolution.stats.unresolved, 0);
}

pub(super) const METHOD_GUESS: &str = r#"
//- /src/lib.rs crate:method_guess
//! `value.method()` on a value the typer cannot type (here: an element of a slice): a
//! method name defined by one impl becomes a method-guess edge; a name defined by two
//! impls, or a std name, is dropped and counted.
pub struct Order;
pub struct Cart;

impl Order {
   //^^^^^ impl method_guess::Order
    pub fn confirm(&self) {}
    pub fn total(&self) -> u32 {
        1
    }
}

impl Cart {
   //^^^^ impl method_guess::Cart
    pub fn total(&self) -> u32 {
        2
    }
}

pub fn checkout(o: &[Order], c: &[Cart]) -> u32 {
                   //^^^^^ type method_guess::Order
                                //^^^^ type method_guess::Cart
    o[0].confirm();
       //^^^^^^^ method-guess method_guess::Order
    let v = [1u32];
    v.len() as u32 + o[0].total() + c[0].total()
}
"#;

#[test]
fn method_calls_are_guessed_only_when_one_impl_defines_the_name() {
    // `o[0].confirm()`: only `impl Order` defines `confirm`.
    let a = check(METHOD_GUESS);
    let guesses = a
        .resolution
        .refs
        .iter()
        .filter(|r| r.kind == crate::syntax::RefKind::MethodGuess)
        .count();
    assert_eq!(guesses, 1);
    assert_eq!(a.resolution.stats.method_guess, 1);
    // `o[0].total()` and `c[0].total()` (two impls define it) and `v.len()` (a std name).
    assert_eq!(a.resolution.stats.methods_dropped, 3);
    // A guessed edge still reaches the graph, with the lowest weight.
    let checkout = a
        .resolution
        .items
        .iter()
        .position(|i| i.path == "method_guess::checkout")
        .expect("checkout");
    let order = a
        .resolution
        .items
        .iter()
        .position(|i| i.path == "method_guess::Order")
        .expect("Order");
    let node = |i: usize| a.graph.item_node(crate::resolve::ItemId(i as u32));
    let edge = a
        .graph
        .items
        .find_edge(node(checkout), node(order))
        .expect("checkout -> Order in the item graph");
    let kinds: Vec<&str> = a.graph.items[edge]
        .kinds
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(kinds, ["type", "method-guess"]);
}
