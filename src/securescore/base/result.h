// Result<T>: the value of a fallible operation, or the Error that stopped it.
//
// Errors carry a machine-readable code, a human message and `where` — a JSON pointer, a
// file:line, or a control id — so that a person can go straight to what needs fixing.
// Library exceptions are caught at the one adapter that calls the library and turned into
// an Error; they never cross a layer.
//
//   Result<Snapshot> s = LoadSnapshot(path);
//   if (!s) return s.error();
//   Use(*s);
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace securescore {

enum class ErrorCode {
  kInvalidInput,  // the user's input is wrong (exit 2)
  kNotFound,      // a named thing does not exist
  kIo,            // reading or writing failed
  kQuery,         // a control's SQL failed
  kConflict,      // the operation clashes with stored state
  kUnavailable,   // a service (database, HTTP peer) could not be reached
  kInternal,      // a bug: reported, never hidden
};

const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string where;  // JSON pointer, file:line, or control id; may be empty

  // "where: message", or just the message when there is no location.
  [[nodiscard]] std::string ToString() const;
};

inline Error InvalidInput(std::string message, std::string where = {}) {
  return Error{ErrorCode::kInvalidInput, std::move(message), std::move(where)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

inline Status OkStatus() { return Status(); }

}  // namespace securescore
