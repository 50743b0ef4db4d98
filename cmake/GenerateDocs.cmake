# Script mode (cmake -P): runs the freshly built binary to write the man page
# and the three completion scripts into OUT_DIR. They come from the CLI11 app
# itself (src/cli/completion.cpp), so they always match the binary installed
# with them.   -DSOTCHECK=<binary> -DOUT_DIR=<dir>
file(MAKE_DIRECTORY ${OUT_DIR})
foreach(pair "__manpage|sotcheck.1" "completion;bash|sotcheck.bash" "completion;zsh|_sotcheck"
             "completion;fish|sotcheck.fish")
  string(REPLACE "|" ";" parts "${pair}")
  list(POP_BACK parts file)
  execute_process(COMMAND ${SOTCHECK} ${parts} OUTPUT_FILE ${OUT_DIR}/${file}.tmp RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sotcheck ${parts} failed (${rc})")
  endif()
  file(RENAME ${OUT_DIR}/${file}.tmp ${OUT_DIR}/${file})
endforeach()
