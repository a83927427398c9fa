//! What `split`'s plan adds to the page: the crates it would make, in order, with the files
//! they take and the items they widen, and each domain that stays with its blockers.

use crate::diagnostics::Diagnostic;
use crate::split::{Extraction, SplitPlan};

use super::page::*;

/// `page` with the plan of a `split` dry run.
pub fn with_split(mut page: Page, plan: &SplitPlan) -> Page {
    page.split = Some(PageSplit {
        summary: crate::report::split::summary(plan),
        order: plan.order().into_iter().map(str::to_owned).collect(),
        extracted: plan.extracted.iter().map(extraction).collect(),
        blocked: (plan.blocked.iter())
            .map(|b| PageBlocked {
                domain: b.domain.clone(),
                blockers: b.blockers.iter().map(blocker).collect(),
            })
            .collect(),
        staying: plan.staying.clone(),
    });
    page
}

/// `page` with why no plan could be made (the rest of the page stands).
pub fn without_split(mut page: Page, why: String) -> Page {
    page.split = Some(PageSplit {
        summary: why,
        order: Vec::new(),
        extracted: Vec::new(),
        blocked: Vec::new(),
        staying: Vec::new(),
    });
    page
}

fn extraction(e: &Extraction) -> PageExtraction {
    PageExtraction {
        crate_name: e.crate_name.clone(),
        kernel: e.is_kernel,
        folder: e.folder.clone(),
        modules: e.modules.clone(),
        depends_on: e.depends_on.clone(),
        files: (e.files.iter())
            .map(|f| (f.from.clone(), f.to.clone()))
            .collect(),
        widened: (e.widened.iter())
            .map(|w| {
                let site = Site {
                    file: w.file.clone(),
                    line: w.line,
                };
                (w.item.clone(), w.was.clone(), site)
            })
            .collect(),
    }
}

fn blocker(d: &Diagnostic) -> PageBlocker {
    let location = (d.labels.iter().find(|l| l.primary))
        .map(|l| &l.location)
        .or(d.location.as_ref());
    PageBlocker {
        code: d.code.as_str(),
        file: location.map(|l| l.file.display().to_string()),
        line: location.map_or(0, |l| l.line),
        message: d.message.clone(),
        help: d.help.clone(),
    }
}
