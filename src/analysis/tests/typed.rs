//! Method calls and field accesses typed by the typer (`resolve::typer`): through declared
//! types, and through the trait bounds of generic parameters. Each fixture is one string;
//! `//^^^ kind target` under a reference is an edge the analysis must find there, and it must
//! find no other (see `crate::test_support::annotations`).

use super::*;

pub(super) const TYPED_CALLS: &str = r#"
//- /src/lib.rs crate:typed_calls
//! Method calls and field accesses typed through declared types: a service locator
//! (`services().rooms.state_cache.is_joined(..)`), typed parameters and `let`s, `self`,
//! `Type::new()`, and std wrappers (`Arc`, `Mutex`, `Option`). `count` is defined by two
//! impls, so only a typed receiver resolves it; on an untyped one it is still dropped.
pub mod api;
pub mod rooms;
pub mod services;
pub mod users;

pub trait Count {
    fn count(&self) -> usize;
}
//- /src/api.rs
use std::sync::Mutex;

use crate::services::services;
                   //^^^^^^^^ use typed_calls::services::services
use crate::users::Users;
                //^^^^^ use typed_calls::users::Users
use crate::Count;
         //^^^^^ use typed_calls::Count

pub fn joined(user: &str) -> bool {
    services().rooms.state_cache.is_joined(user)
  //^^^^^^^^ call typed_calls::services::services
             //^^^^^ type typed_calls::services::Services
                   //^^^^^^^^^^^ type typed_calls::rooms::Rooms
                               //^^^^^^^^^ call typed_calls::rooms::StateCache
}

pub fn totals() -> usize {
    services().rooms.state_cache.count() + services().users.count()
  //^^^^^^^^ call typed_calls::services::services
             //^^^^^ type typed_calls::services::Services
                   //^^^^^^^^^^^ type typed_calls::rooms::Rooms
                               //^^^^^ call typed_calls::rooms::StateCache
                                         //^^^^^^^^ call typed_calls::services::services
                                                    //^^^^^ type typed_calls::services::Services
                                                          //^^^^^ call typed_calls::users::Users
}

pub fn with_param(users: &Users) -> usize {
                        //^^^^^ type typed_calls::users::Users
    users.count()
        //^^^^^ call typed_calls::users::Users
}

pub fn with_let(name: &str) -> String {
    let s = services();
          //^^^^^^^^ call typed_calls::services::services
    let user = s.users.find(name);
               //^^^^^ type typed_calls::services::Services
                     //^^^^ call typed_calls::users::Users
    user.map(|u| u.greeting()).unwrap_or_default()
                 //^^^^^^^^ method-guess typed_calls::users::User
}

pub fn through_option(name: &str) -> usize {
    services().users.find(name).unwrap().name.len()
  //^^^^^^^^ call typed_calls::services::services
             //^^^^^ type typed_calls::services::Services
                   //^^^^ call typed_calls::users::Users
                                       //^^^^ type typed_calls::users::User
}

pub fn through_ok_or(name: &str) -> Result<usize, String> {
    Ok(services().users.find(name).ok_or("no user")?.name.len())
     //^^^^^^^^ call typed_calls::services::services
                //^^^^^ type typed_calls::services::Services
                      //^^^^ call typed_calls::users::Users
                                                  //^^^^ type typed_calls::users::User
}

pub fn fresh() -> usize {
    Users::new().count()
  //^^^^^ call typed_calls::users::Users
               //^^^^^ call typed_calls::users::Users
}

pub fn untyped(all: &[Users]) -> usize {
                    //^^^^^ type typed_calls::users::Users
    all[0].count()
}

pub struct Handler {
    pub users: Mutex<Users>,
                   //^^^^^ type typed_calls::users::Users
}

impl Handler {
   //^^^^^^^ impl typed_calls::api::Handler
    pub fn handle(&self) -> usize {
        self.users.lock().unwrap().count()
                                 //^^^^^ call typed_calls::users::Users
    }
}

pub fn through_dyn(counter: &dyn Count) -> usize {
                               //^^^^^ bound typed_calls::Count
    counter.count()
          //^^^^^ call typed_calls::Count
}
//- /src/rooms.rs
use crate::Count;
         //^^^^^ use typed_calls::Count

#[derive(Default)]
pub struct Rooms {
    pub state_cache: StateCache,
                   //^^^^^^^^^^ type typed_calls::rooms::StateCache
}

#[derive(Default)]
pub struct StateCache {
    pub joined: Vec<String>,
}

impl StateCache {
   //^^^^^^^^^^ impl typed_calls::rooms::StateCache
    pub fn is_joined(&self, user: &str) -> bool {
        self.joined.iter().any(|u| u == user)
    }
}

impl Count for StateCache {
   //^^^^^ impl typed_calls::Count
             //^^^^^^^^^^ impl typed_calls::rooms::StateCache
    fn count(&self) -> usize {
        self.joined.len()
    }
}
//- /src/services.rs
use std::sync::{Arc, OnceLock};

use crate::rooms::Rooms;
                //^^^^^ use typed_calls::rooms::Rooms
use crate::users::Users;
                //^^^^^ use typed_calls::users::Users

pub struct Services {
    pub rooms: Rooms,
             //^^^^^ type typed_calls::rooms::Rooms
    pub users: Arc<Users>,
                 //^^^^^ type typed_calls::users::Users
}

static SERVICES: OnceLock<Services> = OnceLock::new();
                        //^^^^^^^^ type typed_calls::services::Services

pub fn services() -> &'static Services {
                            //^^^^^^^^ type typed_calls::services::Services
    SERVICES.get_or_init(|| Services {
  //^^^^^^^^ call typed_calls::services::SERVICES
                          //^^^^^^^^ construct typed_calls::services::Services
        rooms: Rooms::default(),
             //^^^^^ call typed_calls::rooms::Rooms
        users: Arc::new(Users::new()),
                      //^^^^^ call typed_calls::users::Users
    })
}
//- /src/users.rs
use crate::Count;
         //^^^^^ use typed_calls::Count

pub struct Users {
    pub names: Vec<String>,
}

pub struct User {
    pub name: String,
}

impl User {
   //^^^^ impl typed_calls::users::User
    pub fn greeting(&self) -> String {
        format!("hello {}", self.name)
    }
}

impl Users {
   //^^^^^ impl typed_calls::users::Users
    pub fn new() -> Self {
        Users { names: Vec::new() }
      //^^^^^ construct typed_calls::users::Users
    }

    pub fn find(&self, name: &str) -> Option<User> {
                                           //^^^^ type typed_calls::users::User
        let name = self.names.iter().find(|n| *n == name)?.clone();
        Some(User { name })
           //^^^^ construct typed_calls::users::User
    }
}

impl Count for Users {
   //^^^^^ impl typed_calls::Count
             //^^^^^ impl typed_calls::users::Users
    fn count(&self) -> usize {
        self.names.len()
    }
}
"#;

#[test]
fn method_calls_and_fields_are_typed_through_declared_types() {
    let a = check(TYPED_CALLS);
    let edges = item_edges(&a.codebase, &a.resolution);
    let of = |from: &str| -> Vec<String> {
        edges
            .iter()
            .filter(|e| e.starts_with(&format!("typed_calls::api::{from} -> ")))
            .cloned()
            .collect()
    };
    // `services().rooms.state_cache.is_joined(..)`: the fn's return type, then two fields
    // (each an edge to the struct declaring it), then the method of the last field's type.
    assert_lines(
        of("joined"),
        &[
            "typed_calls::api::joined -> typed_calls::rooms::Rooms (type)",
            "typed_calls::api::joined -> typed_calls::rooms::StateCache (call)",
            "typed_calls::api::joined -> typed_calls::services::Services (type)",
            "typed_calls::api::joined -> typed_calls::services::services (call)",
        ],
    );
    // `count` is implemented (trait `Count`) by both `StateCache` and `Users`: the name
    // guess refuses it, the typed receivers pick each impl's self type.
    assert_lines(
        of("totals"),
        &[
            "typed_calls::api::totals -> typed_calls::rooms::Rooms (type)",
            "typed_calls::api::totals -> typed_calls::rooms::StateCache (call)",
            "typed_calls::api::totals -> typed_calls::services::Services (type)",
            "typed_calls::api::totals -> typed_calls::services::services (call)",
            // `users: Arc<Users>`: the std wrapper is looked through.
            "typed_calls::api::totals -> typed_calls::users::Users (call)",
        ],
    );
    // A typed parameter; `Type::new()` typed by its `-> Self`.
    assert_lines(
        of("with_param"),
        &[
            "typed_calls::api::with_param -> typed_calls::users::Users (call)",
            "typed_calls::api::with_param -> typed_calls::users::Users (type)",
        ],
    );
    assert_lines(
        of("fresh"),
        &["typed_calls::api::fresh -> typed_calls::users::Users (call)"],
    );
    // `let s = services();` then `s.users.find(..)`; `u` in the closure is untyped, so
    // `u.greeting()` falls back to the unique-name guess.
    assert_lines(
        of("with_let"),
        &[
            "typed_calls::api::with_let -> typed_calls::services::Services (type)",
            "typed_calls::api::with_let -> typed_calls::services::services (call)",
            "typed_calls::api::with_let -> typed_calls::users::User (method-guess)",
            "typed_calls::api::with_let -> typed_calls::users::Users (call)",
        ],
    );
    // `find(..) -> Option<User>`, `.unwrap()` looked through, then the field `name`.
    assert_lines(
        of("through_option"),
        &[
            "typed_calls::api::through_option -> typed_calls::services::Services (type)",
            "typed_calls::api::through_option -> typed_calls::services::services (call)",
            "typed_calls::api::through_option -> typed_calls::users::User (type)",
            "typed_calls::api::through_option -> typed_calls::users::Users (call)",
        ],
    );
    // `find(..) -> Option<User>`, `.ok_or(..)?` is the same `User`, then the field `name`.
    assert_lines(
        of("through_ok_or"),
        &[
            "typed_calls::api::through_ok_or -> typed_calls::services::Services (type)",
            "typed_calls::api::through_ok_or -> typed_calls::services::services (call)",
            "typed_calls::api::through_ok_or -> typed_calls::users::User (type)",
            "typed_calls::api::through_ok_or -> typed_calls::users::Users (call)",
        ],
    );
    // A `dyn Trait` value: the call names the trait's declaration.
    assert_lines(
        of("through_dyn"),
        &[
            "typed_calls::api::through_dyn -> typed_calls::Count (bound)",
            "typed_calls::api::through_dyn -> typed_calls::Count (call)",
        ],
    );
    // `all[0].count()`: an index is no chain, and two impls define `count`: dropped.
    assert_lines(
        of("untyped"),
        &["typed_calls::api::untyped -> typed_calls::users::Users (type)"],
    );
    // `self.users.lock().unwrap().count()`; the access to its own field `users` is no edge.
    let handler: Vec<&String> = edges
        .iter()
        .filter(|e| e.starts_with("typed_calls::api::Handler -> "))
        .collect();
    assert_eq!(
        handler,
        [
            "typed_calls::api::Handler -> typed_calls::api::Handler (impl)",
            "typed_calls::api::Handler -> typed_calls::users::Users (call)",
            "typed_calls::api::Handler -> typed_calls::users::Users (type)",
        ]
    );
    let stats = a.resolution.stats;
    assert_eq!(stats.method_typed, 10, "{stats:?}");
    assert_eq!(stats.field_typed, 10, "{stats:?}");
    assert_eq!(stats.method_guess, 1, "{stats:?}");
    assert_eq!(stats.unresolved, 0);
}

pub(super) const TYPED_BOUNDS: &str = r#"
//- /src/lib.rs crate:typed_bounds
//! Values whose type is a generic parameter are typed as its trait bounds, like a `dyn
//! Trait`: inline bounds, `where` clauses, `impl Trait` arguments, bounds of the impl
//! block. With several bounds the call goes to the one declaring the method, found through
//! supertraits. `save` and `load` are defined by two impls each: the name guess refuses them.
//! A blanket impl belongs to its trait, and its qualified call `<H as Load>::load(..)` is
//! a call of `load` on a `Load`.
pub mod api;
pub mod store;

pub trait Load {
    fn load(&self) -> u32;
}

pub trait Save {
    fn save(&self);
}

pub trait Backend: Load + Save {}
                 //^^^^ bound typed_bounds::Load
                        //^^^^ bound typed_bounds::Save

pub trait Clock {
    fn now(&self) -> u64;
}

impl<H: Backend> Clock for H {
      //^^^^^^^ bound typed_bounds::Backend
               //^^^^^ impl typed_bounds::Clock
    fn now(&self) -> u64 {
        <H as Load>::load(self) as u64
                   //^^^^ call typed_bounds::Load
    }
}
//- /src/api.rs
use crate::{Backend, Clock, Save};
          //^^^^^^^ use typed_bounds::Backend
                   //^^^^^ use typed_bounds::Clock
                          //^^^^ use typed_bounds::Save

pub fn inline<S: Save>(s: &S) {
               //^^^^ bound typed_bounds::Save
    s.save()
    //^^^^ call typed_bounds::Save
}

pub fn in_where<B>(b: B) -> u32
where
    B: Clock + Backend,
     //^^^^^ bound typed_bounds::Clock
             //^^^^^^^ bound typed_bounds::Backend
{
    b.load()
    //^^^^ call typed_bounds::Load
}

pub fn impl_arg(b: &(impl Clock + Save)) {
                        //^^^^^ bound typed_bounds::Clock
                                //^^^^ bound typed_bounds::Save
    b.save()
    //^^^^ call typed_bounds::Save
}

pub fn external_bound<T: Clone>(t: T) -> T {
    t.clone()
}

pub struct Service<B> {
    backend: B,
}

impl<B: Backend> Service<B> {
      //^^^^^^^ bound typed_bounds::Backend
               //^^^^^^^ impl typed_bounds::api::Service
    pub fn run(&self, other: &B) {
        other.save();
            //^^^^ call typed_bounds::Save
        self.backend.save()
                   //^^^^ call typed_bounds::Save
    }
}

pub struct Lister<'a, H> {
    handler: &'a H,
}

impl<H> Lister<'_, H>
      //^^^^^^ impl typed_bounds::api::Lister
where
    H: Backend,
     //^^^^^^^ bound typed_bounds::Backend
{
    pub fn first(&self) -> u32 {
        self.handler.load()
                   //^^^^ call typed_bounds::Load
    }
}

pub struct Timer<C: Clock> {
                  //^^^^^ bound typed_bounds::Clock
    pub clock: C,
}

pub fn elapsed<C: Clock>(t: &Timer<C>) -> u64 {
                //^^^^^ bound typed_bounds::Clock
                           //^^^^^ type typed_bounds::api::Timer
    t.clock.now()
    //^^^^^ type typed_bounds::api::Timer
          //^^^ call typed_bounds::Clock
}
//- /src/store.rs
use crate::{Backend, Load, Save};
          //^^^^^^^ use typed_bounds::Backend
                   //^^^^ use typed_bounds::Load
                         //^^^^ use typed_bounds::Save

pub struct Disk;
pub struct Memory;

impl Load for Disk {
   //^^^^ impl typed_bounds::Load
            //^^^^ impl typed_bounds::store::Disk
    fn load(&self) -> u32 {
        1
    }
}

impl Save for Disk {
   //^^^^ impl typed_bounds::Save
            //^^^^ impl typed_bounds::store::Disk
    fn save(&self) {}
}

impl Backend for Disk {}
   //^^^^^^^ impl typed_bounds::Backend
               //^^^^ impl typed_bounds::store::Disk

impl Load for Memory {
   //^^^^ impl typed_bounds::Load
            //^^^^^^ impl typed_bounds::store::Memory
    fn load(&self) -> u32 {
        2
    }
}

impl Save for Memory {
   //^^^^ impl typed_bounds::Save
            //^^^^^^ impl typed_bounds::store::Memory
    fn save(&self) {}
}
"#;

#[test]
fn values_of_a_generic_type_are_typed_by_its_bounds() {
    let a = check(TYPED_BOUNDS);
    let stats = a.resolution.stats;
    // `inline`, `in_where` (through the supertrait), `impl_arg` (the second bound), `run`
    // (the impl's bound) twice, the blanket impl's qualified call, the fields of generic
    // type (`first`, bounded by its impl block's `where` under another name than the
    // struct's; `elapsed`, bounded by the struct); `t.clone()`, bounded by std's trait
    // only, stays untyped.
    assert_eq!(stats.method_typed, 8, "{stats:?}");
    assert_eq!(stats.unresolved, 0);
}
