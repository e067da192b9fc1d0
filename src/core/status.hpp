// Errors as values: Status and Result<T>.
//
//   Result<double> parse_number(std::string_view s) {
//     if (s.empty()) return Status::invalid("empty number");
//     return 1.0;
//   }
//   auto r = parse_number("2.5");
//   if (!r) return r.status();          // propagate
//   double v = *r;
//
// Library code never exits, prints or throws for expected failures; cli/ turns a Status into an exit code
// (kInvalidArgument, kNotFound → 2: bad input; everything else → 1: runtime failure).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace actlab {

enum class StatusCode {
  kOk,
  kInvalidArgument,  // bad user input: malformed formula, bad flag value, bad file content
  kNotFound,         // unknown name, missing file or package
  kIoError,          // a file or process could not be read, written or run
  kNumerical,        // NaN/inf or non-convergence where a finite answer was required
  kInternal,         // a bug: an invariant did not hold
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  static Status invalid(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status not_found(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status io_error(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status numerical(std::string m) { return {StatusCode::kNumerical, std::move(m)}; }
  static Status internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  // Bad input in one field of a plan or options struct: the message reads "field: what", and field()
  // names it, so each front end can say it in its own words (the CLI writes "--field-name: what").
  static Status invalid_field(std::string field, const std::string& m) {
    Status s{StatusCode::kInvalidArgument, field + ": " + m};
    s.field_ = std::move(field);
    return s;
  }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The plan or options field the error is about ("" when none); see invalid_field.
  const std::string& field() const { return field_; }
  // True for errors caused by what the user typed or supplied (exit code 2 in the CLI).
  bool is_bad_input() const {
    return code_ == StatusCode::kInvalidArgument || code_ == StatusCode::kNotFound;
  }
  // The same for any code: Status::not_found("no database at x").with_field("storage") reads
  // "storage: no database at x" with field() "storage". A field may name one entry of a map-valued field
  // ("param p": the entry p of the parameters), which the CLI writes "--param p".
  Status with_field(std::string field) const {
    if (is_ok()) return *this;
    Status s(code_, field + ": " + message_);
    s.field_ = std::move(field);
    return s;
  }
  // Prefix the message with where the error happened: "--param p: " + message.
  Status with_context(const std::string& where) const {
    if (is_ok()) return *this;
    Status s(code_, where + ": " + message_);
    s.field_ = field_;
    return s;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

// A value or the Status saying why there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).is_ok() && "Result built from an ok Status");
  }

  bool has_value() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return has_value(); }
  const Status& status() const {
    static const Status kOk;
    return has_value() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace actlab
