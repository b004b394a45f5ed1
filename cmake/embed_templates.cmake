# Embeds every file under templates/ into the binary as a table of (path, text) pairs, so that
# render needs no files at run time. Regenerated whenever a template changes.
file(GLOB_RECURSE MLSERVE_TEMPLATE_FILES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/templates/*.yaml")
set(MLSERVE_EMBEDDED_CPP "${CMAKE_BINARY_DIR}/generated/embedded_templates.cpp")
add_custom_command(
  OUTPUT ${MLSERVE_EMBEDDED_CPP}
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR}/templates -DOUTPUT=${MLSERVE_EMBEDDED_CPP}
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_templates_run.cmake
  DEPENDS ${MLSERVE_TEMPLATE_FILES} ${CMAKE_SOURCE_DIR}/cmake/embed_templates_run.cmake
  COMMENT "Embedding templates/")
