#include "sqlite_db.hpp"

namespace berth::daemon {

Statement::~Statement() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

// Bind errors (out of range, out of memory) are kept and reported by step(), so call sites chain
// binds without checking each one.
Statement& Statement::bind(int index, const std::string& text) {
    int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                               SQLITE_TRANSIENT);
    if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
    return *this;
}

Result<bool> Statement::step() {
    if (bind_error_ != SQLITE_OK) return Error(std::string("bind: ") + sqlite3_errstr(bind_error_));
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Error(sqlite3_errmsg(db_), rc);
}

Result<void> Statement::run() {
    for (;;) {
        auto row = step();
        if (!row) return row.error();
        if (!row.value()) return {};
    }
}

std::string Statement::text(int column) const {
    const unsigned char* p = sqlite3_column_text(stmt_, column);
    if (p == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

SqliteDb::~SqliteDb() {
    for (auto& entry : cache_) sqlite3_finalize(entry.second);
    // close_v2 defers the close until every statement is finalized, which they now are.
    if (db_ != nullptr) sqlite3_close_v2(db_);
}

Result<void> SqliteDb::open(const std::string& path) {
    // NOMUTEX: the caller holds its own mutex around every use, so SQLite's would be a second lock.
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        return Error(message, rc);
    }
    sqlite3_extended_result_codes(db_, 1);
    return {};
}

Result<void> SqliteDb::exec(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return {};
    Error error(message != nullptr ? message : sqlite3_errstr(rc), rc);
    sqlite3_free(message);
    return error;
}

Result<Statement> SqliteDb::statement(const std::string& sql) {
    auto cached = cache_.find(sql);
    if (cached != cache_.end()) return Statement(db_, cached->second);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(sqlite3_errmsg(db_), rc);
    cache_.emplace(sql, stmt);
    return Statement(db_, stmt);
}

Result<std::int64_t> SqliteDb::query_int(const std::string& sql) {
    auto stmt = statement(sql);
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    if (!row.value()) return Error("no row: " + sql);
    return stmt->integer(0);
}

}  // namespace berth::daemon
