// A thin layer over the sqlite3 C API: one connection, statements prepared once and reused, and
// every failure turned into an Error carrying SQLite's own message. Not thread-safe by itself:
// StateDb serializes all use behind its mutex.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <string>

#include "common/result.hpp"

namespace berth::daemon {

// A cached statement in use: bind, step, read columns. Resetting on destruction returns it to the
// cache ready for the next call, even when the caller leaves early on an error.
class Statement {
  public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    ~Statement();
    Statement(Statement&& other) noexcept
        : db_(other.db_), stmt_(other.stmt_), bind_error_(other.bind_error_) {
        other.stmt_ = nullptr;
    }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    Statement& bind(int index, const std::string& text);
    Statement& bind(int index, std::int64_t value);

    // true: a row is ready to read; false: the statement is done.
    Result<bool> step();
    // Steps to the end, for statements that return no rows.
    Result<void> run();

    std::string text(int column) const;
    std::int64_t integer(int column) const;

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
    int bind_error_ = SQLITE_OK;
};

class SqliteDb {
  public:
    SqliteDb() = default;
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    Result<void> open(const std::string& path);
    // Runs one or more statements that take no parameters (schema, pragmas, transactions).
    Result<void> exec(const std::string& sql);
    // The statement for `sql`, prepared on first use and kept for the connection's lifetime.
    Result<Statement> statement(const std::string& sql);
    Result<std::int64_t> query_int(const std::string& sql);

    sqlite3* handle() const { return db_; }
    std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
    int extended_errcode() const { return sqlite3_extended_errcode(db_); }

  private:
    sqlite3* db_ = nullptr;
    std::map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace berth::daemon
