//! The one renderer of a [`Failure`], rustc-style: diagnostics with their snippets, and
//! messages without a code in the same shape.
//!
//! ```text
//! error[bad-baseline]: invalid baseline: expected value
//!  --> baseline.json:2:19
//!   |
//! 2 |   "violations": [ oops ] }
//!   |                   ^^^^
//! ```

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{Group, Level, Renderer, normalize_untrusted_str};

use crate::app::{Failure, SourceFile};
use crate::report::diagnostic::{Source, render_human, summary};

pub fn render(failure: &Failure, color: bool) -> String {
    match failure {
        Failure::Diagnostics {
            diagnostics,
            sources,
        } => render_human(diagnostics, &borrowed(sources), color),
        Failure::InvalidSpec { spec, diagnostics } => {
            let verdict = format!(
                "{} is invalid: {}",
                spec.path.display(),
                summary(diagnostics)
            );
            let snippets = render_human(diagnostics, &borrowed(std::slice::from_ref(spec)), color);
            snippets + &message(&verdict, None, color)
        }
        Failure::Message { message: m, help } => message(m, help.as_deref(), color),
    }
}

/// A failure without a code: `error: message`, and its help. Lines after the first (a
/// snippet another parser rendered) follow as they are.
fn message(message: &str, help: Option<&str>, color: bool) -> String {
    let (title, rest) = message.split_once('\n').unwrap_or((message, ""));
    let mut group = Group::with_title(Level::ERROR.primary_title(normalize_untrusted_str(title)));
    if let Some(help) = help {
        group = group.element(Level::HELP.message(normalize_untrusted_str(help)));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut text = renderer.decor_style(DecorStyle::Ascii).render(&[group]) + "\n";
    if !rest.is_empty() {
        text += rest.trim_end();
        text.push('\n');
    }
    text
}

pub fn borrowed(sources: &[SourceFile]) -> Vec<Source<'_>> {
    (sources.iter())
        .map(|s| Source {
            path: &s.path,
            text: &s.text,
        })
        .collect()
}
