//! A tiny model of one SQL row, for the article's comparison with a relational database.
//!
//! It is honest about what it is: one row `posts(id = 99, likes)`, each statement applied
//! atomically in arrival order, no transactions, no locks, no isolation levels. That is enough to
//! show the two facts that matter: `SELECT` then `UPDATE … SET likes = <value read> + 1` loses
//! updates exactly like GET-then-SET, and `UPDATE … SET likes = likes + 1` does not, because the
//! database reads and writes the row in one statement (under a row lock in a real engine).

/// A statement on the `likes` column of row 99.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Statement {
    /// `SELECT likes FROM posts WHERE id = 99`
    Select,
    /// `UPDATE posts SET likes = <n> WHERE id = 99` (a value computed by the client)
    Assign(i64),
    /// `UPDATE posts SET likes = likes + 1 WHERE id = 99`
    Increment,
    /// `UPDATE posts SET likes = likes + <n> WHERE id = 99` (a write-behind job's batch)
    Add(i64),
}

impl Statement {
    /// The statement's SQL text.
    pub fn text(&self) -> String {
        match self {
            Statement::Select => "SELECT likes FROM posts WHERE id = 99".to_owned(),
            Statement::Assign(n) => format!("UPDATE posts SET likes = {n} WHERE id = 99"),
            Statement::Increment => "UPDATE posts SET likes = likes + 1 WHERE id = 99".to_owned(),
            Statement::Add(n) => format!("UPDATE posts SET likes = likes + {n} WHERE id = 99"),
        }
    }
}

/// A statement's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SqlResult {
    /// The value a SELECT read.
    Value(i64),
    /// Rows an UPDATE changed.
    Updated(u64),
}

impl SqlResult {
    /// The result as a SQL shell would summarise it.
    pub fn text(&self) -> String {
        match self {
            SqlResult::Value(v) => format!("likes = {v}"),
            SqlResult::Updated(n) => format!("UPDATE {n}"),
        }
    }
}

/// The row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// The `likes` column.
    pub likes: i64,
}

impl Row {
    /// Applies one statement atomically.
    pub fn execute(&mut self, statement: &Statement) -> SqlResult {
        match statement {
            Statement::Select => SqlResult::Value(self.likes),
            Statement::Assign(n) => {
                self.likes = *n;
                SqlResult::Updated(1)
            }
            Statement::Increment => {
                self.likes = self.likes.saturating_add(1);
                SqlResult::Updated(1)
            }
            Statement::Add(n) => {
                self.likes = self.likes.saturating_add(*n);
                SqlResult::Updated(1)
            }
        }
    }
}
