//! Escaping for the two places text goes in the page: between tags and in double-quoted
//! attributes. Everything shown comes from the web, so nothing is written unescaped.

use std::borrow::Cow;

/// `value` made safe between tags.
pub fn text(value: &str) -> Cow<'_, str> {
    html_escape::encode_text(value)
}

/// `value` made safe inside a double-quoted attribute.
pub fn attr(value: &str) -> Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(value)
}
