# One interface target carries every shared compiler setting; every Nimbus target links it.
add_library(nimbus_common_cfg INTERFACE)
target_compile_features(nimbus_common_cfg INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_include_directories(nimbus_common_cfg INTERFACE
    "${PROJECT_SOURCE_DIR}" "${PROJECT_BINARY_DIR}/generated")
target_compile_definitions(nimbus_common_cfg INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_KEYWORDS
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    QT_NO_CONTEXTLESS_CONNECT
    $<$<CONFIG:Release>:_FORTIFY_SOURCE=3>
    $<$<CONFIG:Release>:_GLIBCXX_ASSERTIONS>)
target_compile_options(nimbus_common_cfg INTERFACE
    -Wall -Wextra -Wpedantic -Wcast-qual -Wcast-align -Wold-style-cast
    -Woverloaded-virtual -Wnon-virtual-dtor -Wformat=2
    $<$<CONFIG:Release>:-fstack-protector-strong>)
target_link_options(nimbus_common_cfg INTERFACE $<$<CONFIG:Release>:LINKER:-z,relro,-z,now>)
if(NIMBUS_SANITIZERS)
    # Findings must fail the test that triggers them: UBSan halts instead of printing and going on.
    # Run-time options (leak suppressions for system libraries): tests/sanitizers/README.md.
    list(JOIN NIMBUS_SANITIZERS "," _nimbus_san)
    set(_nimbus_san_flags -fsanitize=${_nimbus_san} -fno-omit-frame-pointer)
    if("undefined" IN_LIST NIMBUS_SANITIZERS)
        list(APPEND _nimbus_san_flags -fno-sanitize-recover=undefined)
    endif()
    target_compile_options(nimbus_common_cfg INTERFACE ${_nimbus_san_flags})
    target_link_options(nimbus_common_cfg INTERFACE ${_nimbus_san_flags})
endif()
set(CMAKE_COMPILE_WARNING_AS_ERROR ${NIMBUS_WARNINGS_AS_ERRORS})
