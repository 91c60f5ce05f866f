//! Test databases for the queue's suite: PostgreSQL and MariaDB/MySQL servers, from the
//! environment (`RPCLIB_TEST_PG_URL`, `RPCLIB_TEST_MYSQL_URL`) or, when those are not set,
//! throwaway servers started from the binaries found on the machine, under `target/`, on
//! free ports of 127.0.0.1, and stopped afterwards.
//!
//! As root, what is missing is installed with apt first (the MariaDB client library the
//! `mysql` feature links against; a server package when no server binary is found). A backend
//! that cannot be had is announced in one loud line; under `CI=true` that is an error.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

const PG_VAR: &str = "RPCLIB_TEST_PG_URL";
const MYSQL_VAR: &str = "RPCLIB_TEST_MYSQL_URL";

/// Provisions the test databases, calls `f` with the environment variables to set for the
/// queue's tests (only those of the backends at hand: build with the cargo features of the
/// same names, `postgres` and `mysql`), and tears down what it started, whatever `f` returns.
pub(crate) fn with_test_databases(f: impl FnOnce(&[(&str, &str)]) -> Result<()>) -> Result<()> {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let root = crate::target_dir()?.join("test-databases");
    let mut servers = Servers::default();
    let mut env: Vec<(&'static str, String)> = Vec::new();

    match provided(PG_VAR) {
        Some(url) => env.push((PG_VAR, url)),
        None => match start_postgres(&root.join("postgres")) {
            Ok(server) => {
                env.push((PG_VAR, server.url.clone()));
                servers.0.push(server);
            }
            Err(e) => unavailable("PostgreSQL", &e, ci)?,
        },
    }
    match provided(MYSQL_VAR) {
        Some(url) => env.push((MYSQL_VAR, url)),
        None => match ensure_mysql_client().and_then(|()| start_mariadb(&root.join("mariadb"))) {
            Ok(server) => {
                env.push((MYSQL_VAR, server.url.clone()));
                servers.0.push(server);
            }
            Err(e) => unavailable("MariaDB", &e, ci)?,
        },
    }
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let result = f(&pairs);
    drop(servers);
    result
}

/// Starts a throwaway PostgreSQL server of our own under `target/test-databases/postgres`,
/// whatever `RPCLIB_TEST_PG_URL` says (a test that stops and restarts the server needs one it
/// owns), calls `f` with its admin URL, and stops it, whatever `f` returns. When none can be
/// started: one loud line, and under `CI=true` an error.
pub(crate) fn with_own_postgres(f: impl FnOnce(&str) -> Result<()>) -> Result<()> {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let dir = crate::target_dir()?.join("test-databases").join("postgres");
    match start_postgres(&dir) {
        Ok(server) => {
            let url = server.url.clone();
            let servers = Servers(vec![server]);
            let result = f(&url);
            drop(servers);
            result
        }
        Err(e) => unavailable("PostgreSQL", &e, ci),
    }
}

fn provided(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|v| !v.is_empty())
}

fn unavailable(backend: &str, why: &anyhow::Error, ci: bool) -> Result<()> {
    eprintln!(
        "\n!!!!!!!! xtask: {backend} NOT AVAILABLE: the queue's {backend} tests will not run ({why:#}) !!!!!!!!\n"
    );
    if ci {
        bail!("{backend} is required under CI=true: {why:#}");
    }
    Ok(())
}

/// Started servers; dropping stops them.
#[derive(Default)]
struct Servers(Vec<Server>);

struct Server {
    name: &'static str,
    url: String,
    stop: Box<dyn FnMut()>,
}

impl Drop for Servers {
    fn drop(&mut self) {
        for server in &mut self.0 {
            eprintln!("xtask: stopping the throwaway {} server", server.name);
            (server.stop)();
        }
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn user_exists(user: &str) -> bool {
    Command::new("id")
        .arg(user)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn apt_install(packages: &[&str]) -> Result<()> {
    eprintln!("xtask: apt-get install {}", packages.join(" "));
    let update = Command::new("apt-get").args(["update", "-qq"]).status()?;
    if !update.success() {
        bail!("apt-get update failed");
    }
    let status = Command::new("apt-get")
        .args(["install", "-y", "-qq"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()?;
    if !status.success() {
        bail!("apt-get install {} failed", packages.join(" "));
    }
    Ok(())
}

/// A port nobody listens on now.
fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for_port(port: u16, what: &str, child: Option<&mut Child>) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut child = child;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(c) = child.as_deref_mut()
            && let Some(status) = c.try_wait()?
        {
            bail!("{what} exited at start ({status})");
        }
        if Instant::now() > deadline {
            bail!("{what} did not listen on port {port} within 60 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// Runs `program` as `user` when we are root (PostgreSQL refuses to run as root).
fn command_as(user: Option<&str>, program: &Path) -> Command {
    match user {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn chown(path: &Path, user: &str) -> Result<()> {
    let status = Command::new("chown")
        .arg("-R")
        .arg(user)
        .arg(path)
        .status()?;
    if !status.success() {
        bail!("chown {user} {} failed", path.display());
    }
    Ok(())
}

fn fresh_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

/// The directory holding PostgreSQL's server binaries (newest version first).
fn postgres_bindir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let out = Command::new("pg_config").arg("--bindir").output().ok()?;
    let bin = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    bin.join("initdb").exists().then_some(bin)
}

fn start_postgres(dir: &Path) -> Result<Server> {
    let root = is_root();
    let bin = match postgres_bindir() {
        Some(bin) => bin,
        None if root => {
            apt_install(&["postgresql"])?;
            postgres_bindir().context("no initdb after installing postgresql")?
        }
        None => bail!("no PostgreSQL server binaries (initdb, pg_ctl) found"),
    };
    // PostgreSQL will not run as root: as root, run it as its own system user.
    let user = if root {
        Some(if user_exists("postgres") {
            "postgres"
        } else {
            "nobody"
        })
    } else {
        None
    };
    fresh_dir(dir)?;
    let data = dir.join("data");
    let log = dir.join("server.log");
    if let Some(user) = user {
        chown(dir, user)?;
    }
    let status = command_as(user, &bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ])
        .stdout(Stdio::null())
        .status()
        .context("running initdb")?;
    if !status.success() {
        bail!("initdb failed ({status})");
    }
    let port = free_port()?;
    // TCP on 127.0.0.1 only, no Unix socket; durability off: the data is thrown away.
    let options = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= \
         -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    );
    let status = command_as(user, &bin.join("pg_ctl"))
        .arg("-D")
        .arg(&data)
        .args(["-o", &options, "-l"])
        .arg(&log)
        .args(["-w", "-t", "60", "start"])
        .stdout(Stdio::null())
        .status()
        .context("running pg_ctl start")?;
    if !status.success() {
        let tail = std::fs::read_to_string(&log).unwrap_or_default();
        bail!("pg_ctl start failed ({status}): {tail}");
    }
    wait_for_port(port, "postgres", None)?;
    eprintln!(
        "xtask: throwaway PostgreSQL on 127.0.0.1:{port} ({})",
        data.display()
    );
    let (pg_ctl, user, dir) = (bin.join("pg_ctl"), user.map(str::to_owned), dir.to_owned());
    Ok(Server {
        name: "PostgreSQL",
        url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        stop: Box::new(move || {
            let _ = command_as(user.as_deref(), &pg_ctl)
                .arg("-D")
                .arg(dir.join("data"))
                .args(["-m", "immediate", "-w", "stop"])
                .stdout(Stdio::null())
                .status();
            let _ = std::fs::remove_dir_all(&dir);
        }),
    })
}

/// The `mysql` feature links the MariaDB client library: install it if missing (as root).
fn ensure_mysql_client() -> Result<()> {
    let present = ["/usr/include/mariadb/mysql.h", "/usr/include/mysql/mysql.h"]
        .iter()
        .any(|p| Path::new(p).exists());
    if present {
        return Ok(());
    }
    if is_root() {
        return apt_install(&["libmariadb-dev-compat", "libmariadb-dev"]);
    }
    bail!("the MariaDB client library is missing: install libmariadb-dev-compat")
}

fn find_program(names: &[&str], dirs: &[&str]) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    for name in names {
        for dir in path.split(':').chain(dirs.iter().copied()) {
            let candidate = Path::new(dir).join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

fn mariadb_binaries() -> Option<(PathBuf, PathBuf)> {
    let sbin = ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"];
    let install = find_program(&["mariadb-install-db", "mysql_install_db"], &sbin)?;
    let server = find_program(&["mariadbd", "mysqld"], &sbin)?;
    Some((install, server))
}

fn start_mariadb(dir: &Path) -> Result<Server> {
    let root = is_root();
    let (install, server) = match mariadb_binaries() {
        Some(b) => b,
        None if root => {
            apt_install(&["mariadb-server"])?;
            mariadb_binaries().context("no mariadbd after installing mariadb-server")?
        }
        None => bail!("no MariaDB server binaries (mariadb-install-db, mariadbd) found"),
    };
    // mariadbd switches to this user itself when started as root.
    let user = if root {
        Some(if user_exists("mysql") {
            "mysql"
        } else {
            "nobody"
        })
    } else {
        None
    };
    fresh_dir(dir)?;
    let data = dir.join("data");
    std::fs::create_dir_all(&data)?;
    if let Some(user) = user {
        chown(dir, user)?;
    }
    let mut install_cmd = Command::new(&install);
    install_cmd
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .args(["--skip-test-db", "--auth-root-authentication-method=normal"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(user) = user {
        install_cmd.arg(format!("--user={user}"));
    }
    let status = install_cmd.status().context("running mariadb-install-db")?;
    if !status.success() {
        bail!("mariadb-install-db failed ({status})");
    }
    let port = free_port()?;
    // A socket path must stay short (about 100 bytes), which target/ may not be.
    let socket = std::env::temp_dir().join(format!("rpclib-mariadb-{}.sock", std::process::id()));
    let mut cmd = Command::new(&server);
    cmd.arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--port={port}"))
        .arg("--bind-address=127.0.0.1")
        .arg(format!("--socket={}", socket.display()))
        .arg(format!("--pid-file={}", dir.join("mariadb.pid").display()))
        .arg(format!("--log-error={}", dir.join("server.log").display()))
        // A throwaway server: no grants to manage, no durability to pay for.
        .args([
            "--skip-grant-tables",
            "--skip-log-bin",
            "--innodb-flush-log-at-trx-commit=2",
            "--innodb-buffer-pool-size=64M",
            "--max-connections=300",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(user) = user {
        cmd.arg(format!("--user={user}"));
    }
    let mut child = cmd.spawn().context("starting mariadbd")?;
    if let Err(e) = wait_for_port(port, "mariadbd", Some(&mut child)) {
        let _ = child.kill();
        let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
        bail!("{e}: {log}");
    }
    eprintln!(
        "xtask: throwaway MariaDB on 127.0.0.1:{port} ({})",
        data.display()
    );
    let dir = dir.to_owned();
    Ok(Server {
        name: "MariaDB",
        url: format!("mysql://root@127.0.0.1:{port}/mysql"),
        stop: Box::new(move || {
            // SIGTERM: mariadbd shuts down cleanly; then reap it.
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(30);
            while child.try_wait().ok().flatten().is_none() {
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = std::fs::remove_file(&socket);
            let _ = std::fs::remove_dir_all(&dir);
        }),
    })
}
