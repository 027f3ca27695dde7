# Rebuilds on 2 cores are slow; ccache makes a fresh configure nearly free.
find_program(INHOUSE_CCACHE ccache)
if(INHOUSE_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${INHOUSE_CCACHE})
endif()
