# Warnings are errors, everywhere in our own code.
add_library(inhouse_warnings INTERFACE)
target_compile_options(inhouse_warnings INTERFACE -Wall -Wextra -Wshadow -Werror)
if(INHOUSE_NATIVE AND NOT INHOUSE_FUZZ)
  add_compile_options(-march=native)
endif()
