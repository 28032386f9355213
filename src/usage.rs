//! Errors in how docpipe was called, as opposed to failures while it ran: the binary exits
//! with status 2 for these, as for a bad command-line option, and 1 for the rest.

/// A refusal before any work: the command would destroy data or cannot be carried out as given.
/// The message is one line naming what and where.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The exit status for an error: 2 when any cause in its chain is a [`UsageError`], else 1.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    if err.chain().any(|cause| cause.is::<UsageError>()) {
        2
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn usage_errors_exit_2_even_with_context_around_them() {
        let err = Err::<(), _>(anyhow::Error::new(UsageError("no".into())))
            .context("while opening")
            .unwrap_err();
        assert_eq!(exit_code(&err), 2);
        assert_eq!(exit_code(&anyhow::anyhow!("disk full")), 1);
    }
}
