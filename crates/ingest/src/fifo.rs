//! Opening a FIFO given as an input without hanging the run. A plain `open` of a FIFO blocks
//! until a writer opens the other end, and no signal handler can get a thread out of it, so
//! Ctrl-C could not stop such a run. The FIFO is opened non-blocking instead, the run waits for
//! data (or the writer's end) in short polls that look at the caller's stop flag, and then reads
//! it as a blocking stream, like standard input.

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// How long one wait for the writer lasts before the stop flag is looked at again.
const POLL_MILLISECONDS: i64 = 100;

/// Whether `path` is a FIFO (never true off Unix).
pub fn is_fifo(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        std::fs::metadata(path).is_ok_and(|metadata| metadata.file_type().is_fifo())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// The FIFO at `path`, open for reading once a writer has written to it or closed it; `None`
/// when `stop` was set first.
#[cfg(unix)]
pub fn open_fifo(path: &Path, stop: Option<&Arc<AtomicBool>>) -> io::Result<Option<File>> {
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    use rustix::fs::{fcntl_getfl, fcntl_setfl, open, Mode, OFlags};

    let fd = open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let wait = Timespec {
        tv_sec: 0,
        tv_nsec: POLL_MILLISECONDS * 1_000_000,
    };
    loop {
        if stop.is_some_and(|stop| stop.load(Ordering::SeqCst)) {
            return Ok(None);
        }
        let mut fds = [PollFd::new(&fd, PollFlags::IN)];
        match poll(&mut fds, Some(&wait)) {
            Ok(0) => continue,
            Ok(_) => {
                // Readable, or the writer came and went (a read then sees the end).
                if fds[0]
                    .revents()
                    .intersects(PollFlags::IN | PollFlags::HUP | PollFlags::ERR)
                {
                    break;
                }
            }
            Err(rustix::io::Errno::INTR) => continue,
            Err(err) => return Err(err.into()),
        }
    }
    // From here on, reads wait for data as they do on any pipe.
    let flags = fcntl_getfl(&fd)?;
    fcntl_setfl(&fd, flags - OFlags::NONBLOCK)?;
    Ok(Some(File::from(fd)))
}

/// Off Unix there are no FIFOs to wait for: the file is opened as it is.
#[cfg(not(unix))]
pub fn open_fifo(path: &Path, _stop: Option<&Arc<AtomicBool>>) -> io::Result<Option<File>> {
    File::open(path).map(Some)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn mkfifo(path: &Path) -> bool {
        std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .is_ok_and(|status| status.success())
    }

    #[test]
    fn a_fifo_without_a_writer_gives_up_when_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        if !mkfifo(&path) {
            return;
        }
        assert!(is_fifo(&path));
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let setter = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(150));
            flag.store(true, Ordering::SeqCst);
        });
        assert!(open_fifo(&path, Some(&stop)).unwrap().is_none());
        setter.join().unwrap();
    }

    #[test]
    fn a_fifo_is_read_once_its_writer_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        if !mkfifo(&path) {
            return;
        }
        let writer_path = path.clone();
        let writer = std::thread::spawn(move || {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(writer_path)
                .unwrap();
            file.write_all(b"An article.").unwrap();
        });
        let mut file = open_fifo(&path, None).unwrap().unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        writer.join().unwrap();
        assert_eq!(text, "An article.");
    }
}
