//! The `rpclib-dbqueue` command against a SQLite queue.

use std::process::Command;

use rpclib_transport_dbqueue::Queue;

fn cli(db: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rpclib-dbqueue"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn the_cli_operates_a_queue() {
    let dir = std::env::temp_dir().join(format!("rpclib-q-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("q.db").display().to_string();
    let (ok, out) = cli(&db, &["status"]);
    assert!(!ok && out.contains("no SQLite database"), "{out}");
    assert!(cli(&db, &["migrate"]).0);

    let queue = Queue::open(&db).unwrap();
    queue
        .enqueue_raw(&[b"a".to_vec(), b"b".to_vec(), b"c".to_vec()])
        .unwrap();
    assert!(cli(&db, &["register", "1"]).0);
    assert!(cli(&db, &["register", "2", "tail"]).0);
    let (ok, out) = cli(&db, &["status"]);
    assert!(ok, "{out}");
    assert!(out.contains("head 3") && out.contains("stored 3"), "{out}");
    // Registration times read as UTC with an age, not as bare Unix milliseconds.
    assert!(out.contains("updated (UTC)"), "{out}");
    assert!(out.contains("Z, ") && out.contains(" s ago"), "{out}");
    let (_, out) = cli(&db, &["show", "2"]);
    assert_eq!(out.trim(), "b");
    // Worker 1 has run nothing: nothing to prune.
    assert!(cli(&db, &["prune"]).1.contains("pruned 0"));
    let (ok, out) = cli(&db, &["reset", "1", "2"]);
    assert!(ok && out.contains("after task 2"), "{out}");
    assert!(cli(&db, &["prune"]).1.contains("pruned 2"));
    assert!(cli(&db, &["remove-worker", "2"]).0);
    let (ok, out) = cli(&db, &["remove-worker", "2"]);
    assert!(!ok && out.contains("not registered"), "{out}");
    let (ok, out) = cli(&db, &["failed", "--limit", "5"]);
    assert!(ok && out.contains("no recorded failure"), "{out}");
    let (ok, out) = cli(&db, &["reset", "x"]);
    assert!(!ok && out.contains("usage"), "{out}");
    drop(queue);
    let _ = std::fs::remove_dir_all(&dir);
}
