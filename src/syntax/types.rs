//! What the typer needs from syntax: a type reduced to [`TypePaths`], and an expression
//! reduced to a receiver [`Chain`]. Both stop at anything they do not understand.

use std::collections::HashMap;

use super::facts::*;
use super::paths::path_text;

/// Std types a value is used through (auto-deref, `?`, `lock()`): their argument is the
/// type that matters.
const WRAPPERS: &[&str] = &[
    "Arc", "Rc", "Box", "Option", "Cell", "RefCell", "Mutex", "RwLock", "Result",
];

/// Single-argument types that hold many values or pass them on: a method called on one is
/// the container's own, never the element's.
const CONTAINERS: &[&str] = &[
    "Vec",
    "VecDeque",
    "HashSet",
    "BTreeSet",
    "BinaryHeap",
    "LinkedList",
    "IndexSet",
    "Sender",
    "Receiver",
    "SyncSender",
    "UnboundedSender",
    "UnboundedReceiver",
    "JoinHandle",
    "PhantomData",
    "Iter",
    "IntoIter",
];

/// The paths a value of `ty` is reached through (see [`TypePaths`]).
pub(super) fn type_paths(ty: &syn::Type) -> TypePaths {
    let mut out = Vec::new();
    let mut cur = ty;
    // Bounded: a type nests a handful of wrappers, never more in real code.
    for _ in 0..8 {
        match cur {
            syn::Type::Reference(r) => cur = &r.elem,
            syn::Type::Paren(p) => cur = &p.elem,
            syn::Type::Group(g) => cur = &g.elem,
            syn::Type::Path(tp) if tp.qself.is_none() => {
                let Some(last) = tp.path.segments.last() else {
                    break;
                };
                let name = last.ident.to_string();
                if CONTAINERS.contains(&name.as_str()) {
                    break;
                }
                let args: Vec<&syn::Type> = match &last.arguments {
                    syn::PathArguments::AngleBracketed(a) => a
                        .args
                        .iter()
                        .filter_map(|g| match g {
                            syn::GenericArgument::Type(t) => Some(t),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let wrapper = WRAPPERS.contains(&name.as_str());
                if !wrapper {
                    out.push(path_text(&tp.path));
                }
                let next = if name == "Result" || args.len() == 1 {
                    args.first()
                } else {
                    None
                };
                match next {
                    Some(t) => cur = t,
                    None => break,
                }
            }
            syn::Type::TraitObject(t) => {
                out.extend(trait_bounds(&t.bounds));
                break;
            }
            syn::Type::ImplTrait(t) => {
                out.extend(trait_bounds(&t.bounds));
                break;
            }
            _ => break,
        }
    }
    out
}

/// The traits of `dyn Trait + Send`, `impl A + B` or a generic parameter's bounds, in
/// order (lifetimes and `use<..>` left out).
pub(super) fn trait_bounds(
    bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
) -> Vec<PathText> {
    (bounds.iter())
        .filter_map(|b| match b {
            syn::TypeParamBound::Trait(t) => Some(path_text(&t.path)),
            _ => None,
        })
        .collect()
}

/// The trait bounds of the generic parameters in scope, by parameter name (inline bounds
/// and `where` clauses together).
pub(super) type Bounds = HashMap<String, Vec<PathText>>;

/// The trait bounds `generics` puts on its type parameters, inline and in the `where`
/// clause (`where T: A` on a single-name type only).
pub(super) fn generic_bounds(generics: &syn::Generics) -> Bounds {
    let mut out = Bounds::new();
    for t in generics.type_params() {
        out.entry(t.ident.to_string())
            .or_default()
            .extend(trait_bounds(&t.bounds));
    }
    for p in generics.where_clause.iter().flat_map(|w| &w.predicates) {
        if let syn::WherePredicate::Type(t) = p
            && let syn::Type::Path(tp) = &t.bounded_ty
            && tp.qself.is_none()
            && let Some(id) = tp.path.get_ident()
            && let Some(b) = out.get_mut(&id.to_string())
        {
            b.extend(trait_bounds(&t.bounds));
        }
    }
    out
}

/// [`type_paths`] with a generic parameter replaced by its trait bounds: `&Handler` where
/// `Handler: BackendHandler` is a value of the trait, like `&dyn BackendHandler`. A
/// parameter without bounds is left as written (the typer refuses it).
pub(super) fn bounded_type_paths(ty: &syn::Type, bounds: &Bounds) -> TypePaths {
    let mut out = type_paths(ty);
    let param = out.iter().position(|p| {
        !p.leading_colon
            && p.segments.len() == 1
            && bounds.get(&p.segments[0]).is_some_and(|b| !b.is_empty())
    });
    if let Some(i) = param {
        let traits = bounds[&out[i].segments[0]].clone();
        out.truncate(i);
        out.extend(traits);
    }
    out
}

/// [`type_paths`] of a fn's return type; `()` when it has none.
pub(super) fn return_paths(output: &syn::ReturnType) -> TypePaths {
    match output {
        syn::ReturnType::Type(_, ty) => type_paths(ty),
        syn::ReturnType::Default => Vec::new(),
    }
}

/// The names a function body binds to chains: typed parameters, `let x = chain;`. `None`
/// marks a name rebound to something untyped, which hides an outer binding.
pub(super) type Env = HashMap<String, Option<Chain>>;

/// The receiver chain of `e`, or `None` when it does not start at a call, `self`, a typed
/// name or a struct literal.
pub(super) fn chain_of(e: &syn::Expr, env: &Env) -> Option<Chain> {
    let mut hops = Vec::new();
    let mut cur = e;
    let base = loop {
        if hops.len() > MAX_HOPS {
            return None;
        }
        match cur {
            syn::Expr::Paren(p) => cur = &p.expr,
            syn::Expr::Group(g) => cur = &g.expr,
            syn::Expr::Reference(r) => cur = &r.expr,
            syn::Expr::Try(t) => cur = &t.expr,
            syn::Expr::Await(a) => cur = &a.base,
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => cur = &u.expr,
            // Tuple fields (`.0`) are not typed (see `ItemDef::fields`).
            syn::Expr::Field(f) => match &f.member {
                syn::Member::Named(id) => {
                    hops.push(Hop::Field(id.to_string()));
                    cur = &f.base;
                }
                syn::Member::Unnamed(_) => return None,
            },
            syn::Expr::MethodCall(m) => {
                hops.push(Hop::Method(m.method.to_string()));
                cur = &m.receiver;
            }
            syn::Expr::Path(p) if p.qself.is_none() => {
                let id = p.path.get_ident()?.to_string();
                if id == "self" {
                    break ChainBase::SelfValue;
                }
                let bound = env.get(&id)?.as_ref()?;
                hops.reverse();
                let mut all = bound.hops.clone();
                all.extend(hops);
                if all.len() > MAX_HOPS {
                    return None;
                }
                return Some(Chain {
                    base: bound.base.clone(),
                    hops: all,
                });
            }
            syn::Expr::Call(c) => match &*c.func {
                syn::Expr::Path(p) if p.qself.is_none() => {
                    break ChainBase::Call(path_text(&p.path));
                }
                _ => return None,
            },
            syn::Expr::Struct(s) if s.qself.is_none() => {
                break ChainBase::Typed(vec![path_text(&s.path)]);
            }
            _ => return None,
        }
    };
    hops.reverse();
    Some(Chain { base, hops })
}

/// The name a parameter or `let` pattern binds as a whole, with its declared type when it
/// has one: `x`, `mut x`, `x: T`. An untyped destructuring pattern binds a part of the
/// value, never the whole: `None`.
pub(super) fn bound_ident(pat: &syn::Pat) -> Option<(String, Option<&syn::Type>)> {
    match pat {
        syn::Pat::Ident(pi) if pi.subpat.is_none() => Some((pi.ident.to_string(), None)),
        syn::Pat::Type(pt) => Some((typed_name(&pt.pat)?, Some(&pt.ty))),
        _ => None,
    }
}

/// The name bound by the pattern of a typed binding: `x`, or the newtype extractors
/// `State(s): State<T>`, `web::Data(s): web::Data<T>` (whose [`TypePaths`] reach `T`).
pub(super) fn typed_name(pat: &syn::Pat) -> Option<String> {
    match pat {
        syn::Pat::Ident(pi) if pi.subpat.is_none() => Some(pi.ident.to_string()),
        syn::Pat::TupleStruct(ts) if ts.elems.len() == 1 => match &ts.elems[0] {
            syn::Pat::Ident(pi) if pi.subpat.is_none() => Some(pi.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}
