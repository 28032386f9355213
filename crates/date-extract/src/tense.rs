//! The tense of the clause around a match, read from the nearest tense cue: "said Friday" is
//! last Friday, "will meet Friday" next Friday. News sentences often mix tenses ("X said Friday
//! that he would ..."), so the cue closest to the expression decides, not the whole sentence.

/// Which way from the reference date an under-specified expression points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    /// Reported or completed: the expression is at or before the reference date.
    Past,
    /// Planned or expected: the expression is at or after the reference date.
    Future,
}

/// How many bytes either side of the match can hold the words read: twelve long words.
const REACH_BYTES: usize = 160;

/// How many words either side of the match are read for a cue: about one clause.
const WINDOW_BEFORE: usize = 16;
const WINDOW_AFTER: usize = 5;

/// Irregular past forms common in news; regular ones are recognized by their `-ed`.
const IRREGULAR_PAST: &[&str] = &[
    "said", "was", "were", "had", "did", "met", "told", "made", "took", "came", "went", "began",
    "left", "held", "gave", "saw", "seen", "found", "sent", "spoke", "fell", "rose", "won", "lost",
    "wrote", "brought", "thought", "kept", "ran", "got", "hit", "shot", "struck", "led", "paid",
    "sold", "bought", "built", "fought", "flew", "drove", "chose", "broke", "knew", "became",
    "stood", "heard", "meant", "sought", "caught", "taught", "threw", "drew", "grew", "spent",
    "stole", "swore", "tore", "withdrew", "quit", "ago", "since", "earlier", "been", "done",
    "gone", "taken", "given", "sank", "sunk", "died", "hung", "laid",
];

/// Words that put what follows in the future; `-ed` forms of planning verbs are here too, as
/// "planned to leave on Thursday" is about a coming Thursday.
const FUTURE: &[&str] = &[
    "will",
    "shall",
    "would",
    "could",
    "might",
    "should",
    "must",
    "plans",
    "plan",
    "planned",
    "planning",
    "scheduled",
    "expected",
    "expects",
    "due",
    "going",
    "upcoming",
    "until",
    "soon",
    "tomorrow",
    "effective",
];

/// Determiners, pronouns and nouns after "to" that make it a preposition ("flew to the
/// capital", "shot to death"), not an infinitive marker ("to leave").
const NOT_A_VERB: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these",
    "those", "be", "date", "about", "death", "power", "court", "trial", "prison", "jail", "office",
    "market", "home", "town",
];

/// The tense of the nearest cue to `start..end` in `text`, within the clause. A cue before the
/// expression wins a tie; one after it counts only up to the next comma when there is a cue
/// before ("was shot on Oct. 23, police said").
pub fn nearest(text: &str, start: usize, end: usize) -> Option<Tense> {
    // Only a clause's worth of text either side is read, so a match deep in a long paragraph
    // costs the same as one near its start.
    let mut from = start.saturating_sub(REACH_BYTES);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (end + REACH_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    crate::work::add(to - from);
    let before = words_before(&text[from..start]);
    let mut found_before = None;
    for (distance, w) in before.iter().enumerate() {
        if let Some(tense) = cue(w) {
            found_before = Some((distance, tense));
            break;
        }
        if infinitive(w).is_none() {
            continue;
        }
        // "agreed to buy the line in February": a plan made in the past may be carried out
        // on either side of the reference date, so the sentence then says nothing of when;
        // "set to resume" stays a schedule whatever comes before it.
        let scheduled = w.previous.is_some_and(|p| p.eq_ignore_ascii_case("set"));
        let planned_in_past = before[distance + 1..]
            .iter()
            .find_map(cue)
            .is_some_and(|tense| tense == Tense::Past);
        if planned_in_past && !scheduled {
            return None;
        }
        if distance <= INFINITIVE_REACH {
            found_before = Some((distance, Tense::Future));
            break;
        }
    }
    let after = words_after(&text[end..to], found_before.is_some());
    let found_after = after
        .iter()
        .enumerate()
        .find_map(|(distance, w)| cue(w).map(|tense| (distance + 1, tense)));
    match (found_before, found_after) {
        (Some((b, before)), Some((a, after))) => Some(if a < b { after } else { before }),
        (Some((_, tense)), None) | (None, Some((_, tense))) => Some(tense),
        (None, None) => None,
    }
}

/// A word with its neighbours, for the cues that depend on them.
struct Word<'a> {
    previous: Option<&'a str>,
    word: &'a str,
    next: Option<&'a str>,
}

/// The tense one word signals.
fn cue(w: &Word<'_>) -> Option<Tense> {
    let lower = w.word.to_ascii_lowercase();
    let lower = lower.as_str();
    let previous = w.previous.map(str::to_ascii_lowercase);
    let previous = previous.as_deref();
    // "announced the plan Aug. 21": after a determiner "plan" is a noun, not a verb.
    let noun = matches!(lower, "plan" | "plans")
        && matches!(
            previous,
            Some("the" | "a" | "an" | "his" | "her" | "its" | "their" | "our" | "this" | "that")
        );
    if noun {
        return None;
    }
    if lower.ends_with("'ll") || lower.ends_with("\u{2019}ll") || FUTURE.contains(&lower) {
        // "had been due to expire Friday": a plan reported from after its date.
        let pluperfect = matches!(previous, Some("had" | "been"));
        return Some(if pluperfect {
            Tense::Past
        } else {
            Tense::Future
        });
    }
    // "were planning to", "had been scheduled to": the planning word decides.
    let auxiliary = matches!(lower, "was" | "were" | "had" | "been");
    if auxiliary
        && w.next
            .is_some_and(|n| FUTURE.contains(&n.to_ascii_lowercase().as_str()))
    {
        return None;
    }
    let past_form = IRREGULAR_PAST.contains(&lower)
        || (lower.len() > 4 && lower.ends_with("ed") && !NOT_PAST_ED.contains(&lower));
    // "must be returned", "is heard": a passive participle after "be" or a present form says
    // nothing of when; the modal or verb before it does.
    let passive = matches!(previous, Some("be" | "being" | "is" | "are"));
    // "a still unspecified date", "the proposed merger": a participle used as an adjective.
    // Only `-ed` forms are read as adjectives after a determiner: "that tore through" is a
    // relative clause in the past.
    let adjective = lower.starts_with("un")
        || previous.is_some_and(|p| {
            (lower.ends_with("ed") && NOT_A_VERB.contains(&p)) || matches!(p, "still" | "newly")
        });
    (past_form && !passive && !adjective).then_some(Tense::Past)
}

/// How close before the expression "to" + verb must be to make it future ("set to resume
/// Monday"); further away it is more often a purpose ("staged events to mark the entry into
/// NATO on Friday").
const INFINITIVE_REACH: usize = 4;

/// "to" followed by a verb: what the sentence is about to do. After the expression it is a
/// purpose ("fell on Friday to close at $20") and is not read.
fn infinitive(w: &Word<'_>) -> Option<Tense> {
    if !w.word.eq_ignore_ascii_case("to") {
        return None;
    }
    let next = w.next?;
    let preposition = w.previous.is_some_and(|p| {
        matches!(
            p.to_ascii_lowercase().as_str(),
            "according" | "compared" | "close" | "next" | "up" | "due" | "prior"
        )
    });
    let verb =
        next.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !NOT_A_VERB.contains(&next);
    (verb && !preposition).then_some(Tense::Future)
}

/// Words ending in `-ed` that are not past forms.
const NOT_PAST_ED: &[&str] = &[
    "need",
    "needed",
    "proceed",
    "exceed",
    "succeed",
    "indeed",
    "speed",
    "breed",
    "hundred",
    "united",
    "limited",
    "based",
    "related",
    "proposed",
    "expected",
    "planned",
    "scheduled",
    "supposed",
    "advanced",
];

/// Words before a position, nearest first, up to the start of the clause.
fn words_before(text: &str) -> Vec<Word<'_>> {
    // Clause ends may be multi-byte (curly quotes): cut after the whole character.
    let clause = text
        .char_indices()
        .rev()
        .find(|&(_, c)| clause_end(c))
        .map_or(text, |(i, c)| &text[i + c.len_utf8()..]);
    let tokens: Vec<&str> = sentence_tail(clause)
        .split_whitespace()
        .map(trim_word)
        .collect();
    (0..tokens.len())
        .rev()
        .take(WINDOW_BEFORE)
        .map(|i| Word {
            previous: i.checked_sub(1).and_then(|p| tokens.get(p).copied()),
            word: tokens[i],
            next: tokens.get(i + 1).copied(),
        })
        .collect()
}

/// Words after a position, nearest first, up to the end of the clause (or the next comma).
fn words_after(text: &str, stop_at_comma: bool) -> Vec<Word<'_>> {
    let end = text
        .find(|c: char| clause_end(c) || (stop_at_comma && c == ','))
        .unwrap_or(text.len());
    // "stopped service on Monday but would still fly": a conjunction opens another clause,
    // whose verb does not place the date.
    let tokens: Vec<&str> = sentence_head(&text[..end])
        .split_whitespace()
        .map(trim_word)
        .take_while(|w| !CLAUSE_OPENERS.contains(&w.to_ascii_lowercase().as_str()))
        .take(WINDOW_AFTER + 1)
        .collect();
    (0..tokens.len().min(WINDOW_AFTER))
        .map(|i| Word {
            previous: i.checked_sub(1).and_then(|p| tokens.get(p).copied()),
            word: tokens[i],
            next: tokens.get(i + 1).copied(),
        })
        .collect()
}

/// Conjunctions that open a new clause after the expression.
const CLAUSE_OPENERS: &[&str] = &["but", "while", "although", "though", "whereas", "because"];

/// Characters that end a clause for tense: line breaks, semicolons, questions, quotes.
fn clause_end(c: char) -> bool {
    matches!(
        c,
        '\n' | ';' | '?' | '!' | '"' | '`' | '\u{201c}' | '\u{201d}'
    )
}

/// The part of `text` after its last sentence end (". " before a capital).
fn sentence_tail(text: &str) -> &str {
    let mut cut = 0;
    for (i, _) in text.match_indices(". ") {
        let rest = text[i + 2..].trim_start();
        if rest.starts_with(|c: char| c.is_uppercase()) && !abbreviation(&text[..i]) {
            cut = i + 2;
        }
    }
    &text[cut..]
}

/// The part of `text` before its first sentence end.
fn sentence_head(text: &str) -> &str {
    for (i, _) in text.match_indices(". ") {
        let rest = text[i + 2..].trim_start();
        if rest.starts_with(|c: char| c.is_uppercase()) && !abbreviation(&text[..i]) {
            return &text[..i];
        }
    }
    text
}

/// The text ends in an abbreviation whose period does not end the sentence ("Mr", "U.S").
fn abbreviation(text: &str) -> bool {
    let last = text.rsplit(char::is_whitespace).next().unwrap_or("");
    last.len() <= 2 && last.starts_with(|c: char| c.is_uppercase())
        || last.contains('.')
        || matches!(
            last,
            "Mr" | "Mrs" | "Ms" | "Dr" | "St" | "Gen" | "Sen" | "Rep" | "Gov"
        )
}

fn trim_word(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn around(text: &str, needle: &str) -> Option<Tense> {
        let start = text.find(needle).unwrap_or(0);
        nearest(text, start, start + needle.len())
    }

    #[test]
    fn the_nearest_cue_decides() {
        assert_eq!(
            around("The mayor said Friday that he would resign.", "Friday"),
            Some(Tense::Past)
        );
        assert_eq!(
            around("The envoy will meet the king on Thursday.", "Thursday"),
            Some(Tense::Future)
        );
        assert_eq!(
            around("Talks are set to resume Monday in Geneva.", "Monday"),
            Some(Tense::Future)
        );
        assert_eq!(
            around("The team planned to leave Nairobi on Thursday.", "Thursday"),
            Some(Tense::Future)
        );
        assert_eq!(
            around("She flew to Paris on Monday.", "Monday"),
            Some(Tense::Past)
        );
        assert_eq!(
            around("The council on Tuesday approved the budget.", "Tuesday"),
            Some(Tense::Past)
        );
        assert_eq!(around("A vote on Monday.", "Monday"), None);
        assert_eq!(
            around(
                "It will be paid on a still unspecified date in January.",
                "January"
            ),
            Some(Tense::Future)
        );
        assert_eq!(
            around("Shares fell 50 cents on Friday to close at $20.", "Friday"),
            Some(Tense::Past)
        );
        assert_eq!(
            around("Rebels were planning to march on Monday.", "Monday"),
            Some(Tense::Future)
        );
    }

    #[test]
    fn a_plan_made_in_the_past_says_nothing_of_when() {
        assert_eq!(
            around(
                "The firm agreed to purchase the unit for $22 million in February.",
                "February"
            ),
            None
        );
        assert_eq!(
            around(
                "Extremists opposed to the truce struck the process, set to resume Monday.",
                "Monday"
            ),
            Some(Tense::Future)
        );
        assert_eq!(
            around("He was shot to death on the night of Oct. 23.", "Oct. 23"),
            Some(Tense::Past)
        );
        assert_eq!(
            around("The bullet that tore into his back Friday.", "Friday"),
            Some(Tense::Past)
        );
        assert_eq!(
            around("It named a new chairman, effective Feb. 1.", "Feb. 1"),
            Some(Tense::Future)
        );
    }

    #[test]
    fn a_conjunction_after_the_date_opens_another_clause() {
        assert_eq!(
            around("The line closed on Monday but would reopen.", "Monday"),
            Some(Tense::Past)
        );
        assert_eq!(
            around("The line on Monday would reopen.", "Monday"),
            Some(Tense::Future)
        );
    }

    #[test]
    fn a_sentence_boundary_stops_the_search() {
        assert_eq!(
            around("Prices will rise. The board met in June.", "June"),
            Some(Tense::Past)
        );
        assert_eq!(around("He will go. In June the vote.", "June"), None);
        // A multi-byte quote ends the clause without splitting a character.
        assert_eq!(
            around("\u{201c}We will go,\u{201d} he said on Friday.", "Friday"),
            Some(Tense::Past)
        );
    }
}
