#pragma once

#include <utility>
#include <variant>

#include <QString>

namespace Nimbus
{

/// An error from a fallible operation: a stable machine-readable code and a human-readable detail.
/// The code is a short kebab-case or UPPER_CASE token fixed by the operation; the detail never carries secrets.
struct Error {
    QString code;
    QString message;
};

/// The value of a fallible operation or the reason it failed. Replace with std::expected once we build as C++23.
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_value(std::move(value)) { }
    Result(Error error) : m_value(std::move(error)) { }

    bool ok() const { return std::holds_alternative<T>(m_value); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_value); }
    T &value() & { return std::get<T>(m_value); }
    T &&value() && { return std::get<T>(std::move(m_value)); }
    const T *operator->() const { return &std::get<T>(m_value); }
    T *operator->() { return &std::get<T>(m_value); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<Error>(m_value); }

private:
    std::variant<T, Error> m_value;
};

/// For operations that return nothing but can fail.
struct Ok {
};

} // namespace Nimbus
