//! Made-up articles for the tests.

use std::ops::Range;

use docpipe_date_extract::{Timex, TimexType};
use docpipe_summarize::{SentenceInput, SentenceRole};

/// Sentences of a text split after each ". " (the tests' texts have no abbreviations).
pub fn split(text: &str) -> Vec<SentenceInput> {
    let mut sentences = Vec::new();
    let mut start = 0;
    for part in text.split_inclusive(". ") {
        let end = start + part.trim_end().len();
        sentences.push(SentenceInput {
            span: start..end,
            role: SentenceRole::Body,
            paragraph: 0,
        });
        start += part.len();
    }
    sentences
}

/// A DATE timex over the first occurrence of `phrase` in `text`.
pub fn date(text: &str, phrase: &str, value: &str) -> Timex {
    let start = text.find(phrase).unwrap_or(0);
    let span: Range<usize> = start..start + phrase.len();
    Timex {
        span,
        kind: TimexType::Date,
        value: value.to_string(),
    }
}

/// Two stories of one kind (two earthquakes) and an unrelated one.
pub const QUAKE_PAPUA_1: &str = "A powerful earthquake struck Papua province in eastern Indonesia on Sunday, killing four people in Manokwari. The magnitude 7.6 quake flattened buildings in Manokwari and Sorong, officials in Papua said. Rescue teams searched the rubble of a hotel in Manokwari for survivors.";
pub const QUAKE_PAPUA_2: &str = "Rescuers in Manokwari pulled survivors from collapsed buildings after the magnitude 7.6 earthquake in Papua. The death toll in Papua rose to five, and hundreds of residents of Manokwari slept in tents. Officials in Sorong said aftershocks shook Papua overnight.";
pub const QUAKE_ACEH_1: &str = "A magnitude 6.1 earthquake hit Aceh province on Sumatra, killing twenty people in the Bener Meriah district. Houses collapsed in Takengon and Bener Meriah, and landslides blocked roads across Aceh. The governor of Aceh declared an emergency in Bener Meriah.";
pub const QUAKE_ACEH_2: &str = "The toll from the Aceh earthquake rose to thirty as rescuers reached villages in Bener Meriah and Central Aceh. Soldiers cleared landslides near Takengon, where the magnitude 6.1 quake destroyed a mosque. Aid reached Bener Meriah by helicopter.";
pub const ELECTION: &str = "Voters in Norway elected a new parliament, with the Labour Party winning the most seats in Oslo and Bergen. Turnout was high across the fjords, election officials in Oslo reported. Coalition talks begin in Oslo next week, the Labour leader said.";
