//! Progress on stderr for long runs: a bar over the rules, shown only when
//! stderr is a terminal and only once the run has taken longer than a moment,
//! so short runs, pipes, CI logs and tests never see it.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::Progress;

/// How long a run may take before the bar appears.
const DELAY: Duration = Duration::from_millis(600);

/// A progress bar that draws only on a terminal, after [`DELAY`].
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    /// A bar on stderr when stderr is a terminal; otherwise nothing.
    pub fn on_terminal() -> Bar {
        if !std::io::stderr().is_terminal() {
            return Bar { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {msg:30!} {wide_bar} {pos}/{len}")
        {
            bar.set_style(style);
        }
        // Only a run still going after the delay gets to draw.
        let delayed = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            if !delayed.is_finished() {
                delayed.set_draw_target(ProgressDrawTarget::stderr());
                delayed.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Bar { bar: Some(bar) }
    }

    /// Removes the bar (before the report is printed).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn loading(&mut self) {
        if let Some(bar) = &self.bar {
            bar.set_message("loading data");
        }
    }

    fn rules(&mut self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(u64::try_from(total).unwrap_or(u64::MAX));
        }
    }

    fn rule(&mut self, id: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(id.to_string());
            bar.inc(1);
        }
    }

    fn done(&mut self) {
        self.finish();
    }
}
