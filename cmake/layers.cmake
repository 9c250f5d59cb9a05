# The layers of src/, bottom up, each a folder and a static library svcsim_NAME. A layer may
# use (include, call) its own folder and the layers it depends on, directly or through them;
# nothing else. CMakeLists.txt links each library to its DEPENDS only, so a call upwards fails
# to link (svcsim_layer_NAME), and check_layers.cmake fails the build on an #include upwards.
set(SVCSIM_LAYERS model loader engine actors studies distributed report traces infer cli)

# The scenario model: plain, validated data (scenario, distribution parameters).
set(SVCSIM_LAYER_model_FOLDER scenarios)
set(SVCSIM_LAYER_model_DEPENDS "")
# Reading scenario files: YAML, units, empirical data, resolution and checks, suggestions.
set(SVCSIM_LAYER_loader_FOLDER scenarios/load)
set(SVCSIM_LAYER_loader_DEPENDS model)
# The simulation kernel without actors: random streams and sampling, plans, the recorder,
# histograms, timeline, tallies, failure schedules, results.
set(SVCSIM_LAYER_engine_FOLDER engine)
set(SVCSIM_LAYER_engine_DEPENDS model)
# The CAF actors (services, broker, clients) and simulate(), which runs them on a virtual clock.
set(SVCSIM_LAYER_actors_FOLDER actors)
set(SVCSIM_LAYER_actors_DEPENDS engine)
# Studies over many runs: replications, the thread pool, the blast radius of crashes.
set(SVCSIM_LAYER_studies_FOLDER studies)
set(SVCSIM_LAYER_studies_DEPENDS actors)
# Studies' runs on worker nodes over CAF's network layer: the wire format, svcsim worker, the
# coordinator that farms runs out (docs/distributed.md).
set(SVCSIM_LAYER_distributed_FOLDER distributed)
set(SVCSIM_LAYER_distributed_DEPENDS studies loader)
# The report writers.
set(SVCSIM_LAYER_report_FOLDER report)
set(SVCSIM_LAYER_report_DEPENDS studies)
# Trace files: spans as OTLP JSON, Jaeger JSON or Chrome trace events.
set(SVCSIM_LAYER_traces_FOLDER traces)
set(SVCSIM_LAYER_traces_DEPENDS engine)
# Inferring a scenario from traces (Jaeger, OTLP, Zipkin JSON): readers, inference, writer.
set(SVCSIM_LAYER_infer_FOLDER infer)
set(SVCSIM_LAYER_infer_DEPENDS model)
# The command line.
set(SVCSIM_LAYER_cli_FOLDER cli)
set(SVCSIM_LAYER_cli_DEPENDS report loader traces infer distributed)

# OUT: the layers `layer` may use, itself included.
function(svcsim_layer_closure layer out)
  set(seen ${layer})
  set(todo ${SVCSIM_LAYER_${layer}_DEPENDS})
  while(todo)
    list(POP_FRONT todo next)
    if(NOT next IN_LIST seen)
      list(APPEND seen ${next})
      list(APPEND todo ${SVCSIM_LAYER_${next}_DEPENDS})
    endif()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()
