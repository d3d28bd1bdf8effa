// A value or the reason there is none. Decoders and parsers of network input return this
// instead of throwing, so nothing a sender puts on the wire can unwind the loop.
// (std::expected is C++23; this is the small part of it the codec needs.)
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace vigil::codec {

template <class E>
struct failure {
  E error;
};
template <class E>
failure(E) -> failure<E>;
failure(const char*)->failure<std::string>;

template <class T, class E = std::string>
class result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}         // NOLINT: implicit
  result(failure<E> f) : v_(std::in_place_index<1>, std::move(f.error)) {}  // NOLINT: implicit

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // Precondition: ok(). Calling either on the wrong side throws std::bad_variant_access.
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  // Precondition: !ok().
  const E& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace vigil::codec
