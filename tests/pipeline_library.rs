//! The pipeline library (`docpipe-pipeline`) gives a program what `docpipe run` gives: each
//! corpus article, alone in a run, has the same record bytes from `Pipeline::record` as from
//! the binary, with every stage and with a few.

mod common;

use common::{repo_root, run_quiet};
use docpipe_ingest::{Ingest, IngestOptions, Item};
use docpipe_pipeline::{Pipeline, PipelineConfig, Stage};

fn corpus_articles() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(repo_root().join("corpus"))
        .expect("the corpus folder")
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "the corpus holds five articles");
    files
}

fn library_record(pipeline: &Pipeline, path: &std::path::Path) -> Vec<u8> {
    let mut ingest = Ingest::new(&[path.to_path_buf()], IngestOptions::new()).expect("readable");
    let Some(Item::Document(doc)) = ingest.next() else {
        panic!("{} holds a document", path.display())
    };
    assert!(ingest.next().is_none(), "one document a file");
    pipeline.record(doc).expect("a record")
}

#[test]
fn a_document_alone_gets_the_record_docpipe_run_writes() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let cases: [(&[&str], PipelineConfig); 3] = [
        (&[], PipelineConfig::default()),
        (
            &["--stages", "normalize,dates", "--no-sentences"],
            PipelineConfig::default()
                .stages([Stage::Normalize, Stage::Dates])
                .sentences(false),
        ),
        (
            &["--stages", "summarize,dedup", "--keywords", "3"],
            PipelineConfig::default()
                .stages([Stage::Summarize, Stage::Dedup])
                .keywords(3),
        ),
    ];
    for (options, config) in cases {
        let pipeline = Pipeline::new(&config);
        for (n, path) in corpus_articles().iter().enumerate() {
            let out = scratch.path().join(format!("alone-{n}.jsonl"));
            run_quiet(path, &out, options, scratch.path());
            let from_run = std::fs::read(&out).expect("the run's records");
            let from_library = library_record(&pipeline, path);
            assert_eq!(
                String::from_utf8_lossy(&from_library),
                String::from_utf8_lossy(&from_run),
                "{} with {options:?}",
                path.display()
            );
        }
    }
}
