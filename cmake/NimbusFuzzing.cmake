# NIMBUS_FUZZ=ON: the libFuzzer harnesses of tests/fuzz (fuzz_* executables). Clang only.
# Every Nimbus target gets libFuzzer's coverage instrumentation plus ASan and UBSan (halting), so a finding in product
# code is reported where it happens; the fuzz_* executables add libFuzzer's main. Use a build directory of its own
# (scripts/fuzz uses build-fuzz/).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "NIMBUS_FUZZ=ON needs clang (libFuzzer is part of clang), but the C++ compiler is "
        "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}. Configure a separate build directory with "
        "-DCMAKE_CXX_COMPILER=clang++ (package libclang-rt-14-dev provides libFuzzer), or run scripts/fuzz.")
endif()
set(NIMBUS_FUZZ_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
target_compile_options(nimbus_common_cfg INTERFACE -fsanitize=fuzzer-no-link ${NIMBUS_FUZZ_SANITIZERS})
target_link_options(nimbus_common_cfg INTERFACE ${NIMBUS_FUZZ_SANITIZERS})

# Builds every fuzz_* executable (tests/fuzz adds them).
add_custom_target(nimbus_fuzzers)
