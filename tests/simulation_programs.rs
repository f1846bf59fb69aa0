//! The simulation core's hooks for scenario programs: an empty keyspace, a chosen start, waiting
//! without sending, a dropped connection, the journal, and changing a program mid-run.

use incr_lab::engine::Reply;
use incr_lab::simulation::sql::Statement;
use incr_lab::simulation::{
    Batch, Ctx, Finish, Program, Programs, Request, Response, SimBuilder, Step,
};

/// Sends `MULTI` + `INCR n` and drops the connection; after `pause_us` it comes back on a new
/// connection and runs `INCR n` on its own.
#[derive(Clone, Debug, Default)]
struct Crasher {
    pause_us: u64,
    stage: u8,
    seen: Vec<String>,
}

impl Program for Crasher {
    fn start_at(&self, _drawn_us: u64) -> u64 {
        1_000
    }

    fn start(&mut self, ctx: &mut Ctx<'_>) -> Step {
        assert_eq!(ctx.now_us, 1_000);
        Step::Send {
            think_us: 0,
            batch: Batch::new(
                vec![
                    Request::redis(&["MULTI"]),
                    Request::redis(&["INCR", "n"]),
                    Request::Disconnect,
                ],
                0,
            ),
        }
    }

    fn next(&mut self, replies: &[Response], _ctx: &mut Ctx<'_>) -> Step {
        self.seen.extend(replies.iter().map(Response::text));
        self.stage += 1;
        match self.stage {
            1 => Step::Wait { us: self.pause_us },
            2 => {
                assert!(replies.is_empty(), "a wait brings no replies");
                Step::Send {
                    think_us: 0,
                    batch: Batch::one(Request::redis(&["INCR", "n"]), 0),
                }
            }
            3 => Step::Send {
                think_us: 0,
                batch: Batch::one(Request::Sql(Statement::Add(5)), 0),
            },
            _ => Step::Done(Finish::Acknowledged),
        }
    }
}

#[test]
fn a_dropped_connection_discards_its_transaction_and_the_client_comes_back() {
    let mut sim = SimBuilder::new()
        .clients(1)
        .journal(true)
        .build(Programs::new(|_| Crasher {
            pause_us: 500_000,
            ..Crasher::default()
        }));
    // No counter key is created for scenario programs.
    assert_eq!(sim.engine().db().len(), 0);
    sim.run();
    let mut engine = sim.engine().clone();
    assert_eq!(engine.execute(9, &["GET", "n"]), Reply::Bulk(b"1".to_vec()));
    assert_eq!(sim.row().likes, 5);
    let program = sim.programs().get(0).expect("one client");
    assert_eq!(program.seen[..3], ["OK", "QUEUED", "(disconnected)"]);
    assert_eq!(program.seen[3], "(integer) 1");
    let journal = sim.take_journal();
    let lines: Vec<(String, bool)> = journal
        .iter()
        .map(|e| (e.request.text(), e.wrote))
        .collect();
    assert_eq!(
        lines,
        [
            ("MULTI".to_owned(), false),
            ("INCR n".to_owned(), false),
            ("(connection closed)".to_owned(), false),
            ("INCR n".to_owned(), true),
            (
                "UPDATE posts SET likes = likes + 5 WHERE id = 99".to_owned(),
                true
            ),
        ]
    );
    // The wait really took its time.
    assert!(journal[3].time_us >= 1_000 + 500_000);
    assert!(sim.take_journal().is_empty());
}

#[test]
fn a_program_can_be_changed_while_the_run_is_paused() {
    let mut sim = SimBuilder::new()
        .clients(1)
        .build(Programs::new(|_| Crasher {
            pause_us: 10_000_000,
            ..Crasher::default()
        }));
    sim.run_until(100_000);
    assert_eq!(sim.program_mut(0).map(|p| p.stage), Some(1));
    assert!(sim.program_mut(1).is_none());
    if let Some(p) = sim.program_mut(0) {
        p.stage = 3; // skip the second INCR
    }
    sim.run();
    let mut engine = sim.engine().clone();
    assert_eq!(engine.execute(9, &["GET", "n"]), Reply::Nil);
}
