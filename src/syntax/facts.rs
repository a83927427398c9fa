//! What the analyzer keeps of a parsed file: names, imports, references with positions.
//! The syn tree itself is dropped right after extraction (it costs ~30× the source size).

/// A position in the file being parsed: 1-based line, 1-based column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Visibility {
    Private,
    /// `pub`
    Public,
    /// `pub(crate)`
    Crate,
    /// `pub(super)`, `pub(in path)`, `pub(self)`: visible to part of the crate.
    Restricted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    Struct,
    Enum,
    Union,
    Trait,
    Fn,
    Const,
    Static,
    TypeAlias,
    Macro,
    /// A diesel `table!`: a module in the expansion, a node here.
    Table,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Struct => "struct",
            ItemKind::Enum => "enum",
            ItemKind::Union => "union",
            ItemKind::Trait => "trait",
            ItemKind::Fn => "fn",
            ItemKind::Const => "const",
            ItemKind::Static => "static",
            ItemKind::TypeAlias => "type",
            ItemKind::Macro => "macro",
            ItemKind::Table => "table",
        }
    }

    /// Which namespace the name lives in: types (and modules), values, or macros.
    pub fn namespace(self) -> Namespace {
        match self {
            ItemKind::Struct
            | ItemKind::Enum
            | ItemKind::Union
            | ItemKind::Trait
            | ItemKind::TypeAlias
            | ItemKind::Table => Namespace::Type,
            ItemKind::Fn | ItemKind::Const | ItemKind::Static => Namespace::Value,
            ItemKind::Macro => Namespace::Macro,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Namespace {
    Type,
    Value,
    Macro,
}

/// The receiver of a method, when the function has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Receiver {
    Value,
    Ref,
    RefMut,
}

/// A function signature, kept for event candidates (parameters become event fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnSig {
    pub receiver: Option<Receiver>,
    /// Parameter name (or `_`) and its type as written, tokens joined by spaces removed.
    pub params: Vec<(String, String)>,
    /// The return type reduced to the paths its value is reached through ([`TypePaths`]).
    pub ret: TypePaths,
}

/// A type reduced to the paths a value of it is reached through, outermost first, for the
/// typer: `&web::Data<Arc<AppState>>` is [`web::Data`, `AppState`]. References are
/// stripped; the std wrappers a value is used through (`Arc`, `Rc`, `Box`, `Option`,
/// `Cell`, `RefCell`, `Mutex`, `RwLock`, `Result`'s `T`) are left out by name; any other
/// path with exactly one generic type argument is kept and followed into that argument, and
/// the resolver passes over the paths that resolve outside the workspace (`web::Data<T>`,
/// `State<T>`). Collections and channels (`Vec<T>`, `HashSet<T>`, `Sender<T>`) end the
/// list: a `Vec<Order>` is no `Order`. `dyn Trait`, `impl Trait` and a generic parameter
/// (`&H` where `H: A + B`, typed in a fn or impl's scope) end it with their trait bounds, in
/// order: the typer takes the traits after the first as the other bounds of the same value.
pub type TypePaths = Vec<PathText>;

/// Where a receiver chain starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ChainBase {
    /// `f()`, `Type::f()`, `Self::f()`, `Tuple(..)`.
    Call(PathText),
    /// `self`.
    SelfValue,
    /// A value of a declared type: a typed parameter or `let`, a struct literal.
    Typed(TypePaths),
}

/// One step after the base of a chain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Hop {
    Field(String),
    Method(String),
}

/// The receiver of a method call or field access as the typer sees it:
/// `services().rooms.state_cache` is `Call(services)` then fields `rooms`, `state_cache`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Chain {
    pub base: ChainBase,
    pub hops: Vec<Hop>,
}

/// Hops kept in a chain; a longer chain is left untyped (it is rare and costs facts).
pub const MAX_HOPS: usize = 8;

/// A named item defined at module level (or an enum with its variants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDef {
    pub name: String,
    pub kind: ItemKind,
    pub vis: Visibility,
    /// Position of the item's name.
    pub pos: Pos,
    /// Enum variants (resolvable as `Enum::Variant` and through `use Enum::*`).
    pub variants: Vec<String>,
    pub sig: Option<FnSig>,
    /// `macro_rules!` with `#[macro_export]`: lives at the crate root.
    pub macro_export: bool,
    /// A struct's named fields with their types, for the typer.
    pub fields: Vec<(String, TypePaths)>,
    /// A trait's methods with their return types: calls through `dyn Trait`.
    pub trait_fns: Vec<(String, TypePaths)>,
    /// A trait's supertraits (`trait A: B + C`): their methods are called on an `A` too.
    pub supertraits: Vec<PathText>,
    /// A struct's generic type and const parameters, in order (lifetimes left out): a field
    /// of type `H` is typed by the bounds an impl block puts on its `H`.
    pub generics: Vec<String>,
}

/// Who, inside a module, wrote a reference: an item, an impl block, or the module itself
/// (`use` declarations, module-level macro calls).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    Module,
    Item(u32),
    Impl(u32),
}

/// A path as written: `::a::b`, `crate::a`, `super::super::x`, `Foo::new`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PathText {
    pub leading_colon: bool,
    pub segments: Vec<String>,
}

impl PathText {
    pub fn new(segments: Vec<String>) -> Self {
        PathText {
            leading_colon: false,
            segments,
        }
    }
}

impl std::fmt::Display for PathText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.leading_colon {
            f.write_str("::")?;
        }
        f.write_str(&self.segments.join("::"))
    }
}

/// One leaf of a flattened use tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseDecl {
    /// For `use a::b::{self, c as d}` the leaves are `a::b` and `a::b::c`.
    pub path: PathText,
    pub kind: UseKind,
    pub vis: Visibility,
    pub pos: Pos,
    /// `Owner::Module` for module-level uses; an item for `use` inside a function body.
    pub owner: Owner,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UseKind {
    /// Imports the last segment, under `rename` when given (`_` imports nothing nameable).
    Named { rename: Option<String> },
    /// `path::*`
    Glob,
}

/// `mod name;` or `mod name { ... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModDecl {
    pub name: String,
    pub vis: Visibility,
    pub pos: Pos,
    /// `#[path = "..."]`
    pub path_attr: Option<String>,
    /// `#[cfg(test)]` on the declaration.
    pub cfg_test: bool,
    /// The body of an inline module.
    pub inline: Option<Box<ModuleFacts>>,
    /// Lines spanned by an inline module's body (0 for `mod name;`).
    pub lines: u32,
    /// `#[macro_use]`: the module's `macro_rules!` stay in scope after it, in its parent.
    pub macro_use: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternCrate {
    pub name: String,
    pub rename: Option<String>,
    pub vis: Visibility,
    pub pos: Pos,
    /// `#[macro_use] extern crate x;`: x's exported macros are in scope in the whole crate.
    pub macro_use: bool,
}

/// An `impl` block: its self type and trait, and the associated items it defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImplDef {
    pub self_ty: Option<PathText>,
    pub trait_: Option<PathText>,
    pub pos: Pos,
    /// Associated functions and methods with their signatures.
    pub fns: Vec<(String, FnSig, Pos)>,
    /// Associated consts and types.
    pub others: Vec<String>,
    /// `impl<H: Bound> Trait for H`: the self type is one of the impl's own generic
    /// parameters, so the block belongs to the trait.
    pub blanket: bool,
    /// For each type argument of the self type (`S<'a, H, u32>`: `H`, `u32`), the trait
    /// bounds the impl puts on it when it is one of the impl's generic parameters
    /// (`impl<H: Tr> S<H>`, `where H: Tr`); empty otherwise.
    pub self_bounds: Vec<Vec<PathText>>,
}

/// How a path is used; becomes the kind of the edge it produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefKind {
    Use,
    Type,
    Call,
    Construct,
    Impl,
    Bound,
    Macro,
    MethodGuess,
}

impl RefKind {
    pub const ALL: [RefKind; 8] = [
        RefKind::Use,
        RefKind::Type,
        RefKind::Call,
        RefKind::Construct,
        RefKind::Impl,
        RefKind::Bound,
        RefKind::Macro,
        RefKind::MethodGuess,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::Use => "use",
            RefKind::Type => "type",
            RefKind::Call => "call",
            RefKind::Construct => "construct",
            RefKind::Impl => "impl",
            RefKind::Bound => "bound",
            RefKind::Macro => "macro",
            RefKind::MethodGuess => "method-guess",
        }
    }

    /// Which namespace the last segment of such a path is looked up in first.
    pub fn namespace(self) -> Namespace {
        match self {
            RefKind::Call => Namespace::Value,
            RefKind::Macro => Namespace::Macro,
            _ => Namespace::Type,
        }
    }
}

/// A path naming something, found in a type, expression, pattern, bound, impl header...
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PathRef {
    pub owner: Owner,
    pub path: PathText,
    pub kind: RefKind,
    pub pos: Pos,
}

/// `value.method(...)`: resolved through the receiver's type when the typer finds it,
/// else guessed from the method name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MethodCall {
    pub owner: Owner,
    pub name: String,
    pub pos: Pos,
    /// `None` when the receiver is no chain the typer can follow (a closure's result, an
    /// index, a local bound by a pattern).
    pub receiver: Option<Chain>,
    /// `<T as Trait>::name(..)`: the receiver is a value of `Trait`; a call the typer cannot
    /// resolve is dropped, never guessed by name.
    pub qualified: bool,
}

/// `value.field` whose receiver is a chain: an edge to the struct that declares the field,
/// when the typer finds it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldAccess {
    pub owner: Owner,
    pub name: String,
    pub pos: Pos,
    pub receiver: Chain,
}

/// A database table touched by the code: a diesel `table!` definition, a `schema::t` path,
/// a table named in SQL inside a string literal, or a sea-orm entity and the paths through
/// its module.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TableRef {
    pub owner: Owner,
    pub table: String,
    pub access: TableAccess,
    pub pos: Pos,
    /// Known from a sea-orm entity (its `table_name` or a path through its module) rather
    /// than from SQL or diesel.
    pub sea_orm: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TableAccess {
    /// `table! { t (...) }`
    Define,
    Read,
    Write,
}

/// Everything the analyzer keeps of one module (a file, or an inline `mod { }` inside it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleFacts {
    pub items: Vec<ItemDef>,
    pub uses: Vec<UseDecl>,
    pub mods: Vec<ModDecl>,
    pub extern_crates: Vec<ExternCrate>,
    pub impls: Vec<ImplDef>,
    pub refs: Vec<PathRef>,
    pub method_calls: Vec<MethodCall>,
    pub field_accesses: Vec<FieldAccess>,
    pub tables: Vec<TableRef>,
    /// `#[cfg(test)] mod x;` declarations left out of the analysis: their files still belong
    /// to the crate, so they are not orphans.
    pub excluded_mods: Vec<ModDecl>,
    /// Names bound locally inside each owner (generic parameters, local items) that shadow
    /// module-level names; paths starting with them are not resolved against the module.
    pub locals: Vec<(Owner, String)>,
    /// Variables bound by patterns (`let`, parameters, closures, `match`, `for`): they shadow
    /// single-segment paths only, since a longer path starts in the type namespace.
    pub value_locals: Vec<(Owner, String)>,
}

/// A parsed file: its top module and its size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileFacts {
    pub module: ModuleFacts,
    pub lines: u32,
}

/// A file syn could not parse, or that nests past the budget syn is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub pos: Pos,
    pub message: String,
    /// The file was not parsed: it crosses [`super::nesting::NESTING_BUDGET`] at `pos`.
    pub too_deep: bool,
}

/// What to keep while extracting.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExtractOptions {
    /// Keep `#[cfg(test)]` modules and items and `#[test]` functions.
    pub include_tests: bool,
}
