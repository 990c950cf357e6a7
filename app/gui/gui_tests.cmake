# ctest tests of the dynalab GUI: real frames under Xvfb with Mesa llvmpipe (running the binary,
# never linking app code into a test).
set(GUI_DIR ${PROJECT_SOURCE_DIR}/app/gui)
find_program(XVFB_RUN xvfb-run)
if(XVFB_RUN)
  set(GUI_OUT ${CMAKE_BINARY_DIR}/gui_screenshots)
  file(MAKE_DIRECTORY ${GUI_OUT})
  # Every registered experiment, listed at test time, in scripted mode.
  add_test(NAME gui_scripted_all_experiments
           COMMAND ${GUI_DIR}/scripted_test.sh $<TARGET_FILE:dynalab> $<TARGET_FILE:dynalab-cli>
                   $<TARGET_FILE:png_stats> ${GUI_OUT}/experiments 300)
  # Every step of every lesson (listed at test time), 100 ticks each, in scripted mode.
  add_test(NAME gui_scripted_all_lessons
           COMMAND ${GUI_DIR}/lessons_test.sh $<TARGET_FILE:dynalab> $<TARGET_FILE:dynalab-cli>
                   $<TARGET_FILE:png_stats> ${GUI_OUT}/lessons)
  set_tests_properties(gui_scripted_all_lessons PROPERTIES TIMEOUT 1200)
  # A finished sweep behind the live run (issue 22): of a sweep over n = 0 and 5, the ghost of
  # the running config (n = 5) is drawn on the steps plot with its band; a missing aggregate
  # folder, or a sweep of another experiment, is one line, exit 2.
  set(GHOST ${GUI_OUT}/sweep_ghost)
  add_test(NAME gui_scripted_sweep_ghost
           COMMAND sh -c "rm -rf ${GHOST} && $<TARGET_FILE:dynalab-cli> sweep dyna_maze --seeds 0-4 --grid agent.planning_steps=0,5 --jobs 2 --out ${GHOST} >/dev/null && $<TARGET_FILE:dynalab-cli> aggregate ${GHOST} --out ${GHOST}/figures >/dev/null && LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1280x800x24' $<TARGET_FILE:dynalab> --experiment dyna_maze --set agent.planning_steps=5 --ticks 400 --ghost ${GHOST}/figures --size 1280x800 --screenshot ${GHOST}/ghost.png --exit 2>&1 && LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1280x800x24' $<TARGET_FILE:dynalab> --experiment dyna_maze --ghost ${GHOST}/nothing --size 1280x800 --exit 2>&1; echo exit=$?; LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1280x800x24' $<TARGET_FILE:dynalab> --experiment blocking_maze --ghost ${GHOST}/figures --size 1280x800 --exit 2>&1; echo exit=$?")
  set_tests_properties(gui_scripted_sweep_ghost PROPERTIES PASS_REGULAR_EXPRESSION
                       "sweep ghost: sweep planning_steps=5: mean .+ SE, 5 runs on steps_per_episode\n.*error: [^\n]*sweep_ghost/nothing: not found \\(write it with dynalab-cli aggregate SWEEP_DIR --out DIR\\)\nexit=2\n.*error: [^\n]*summary.csv: a sweep of dyna_maze, but the app runs blocking_maze \\(open dyna_maze first\\)\nexit=2")
  # A bad lesson, step or --from-step exits 2 with one line, before any window opens.
  add_test(NAME gui_scripted_bad_lesson
           COMMAND sh -c "$<TARGET_FILE:dynalab> --lesson no_such_lesson --exit 2>&1; a=$?; $<TARGET_FILE:dynalab> --lesson 07_dyna_maze --step 99 --exit 2>&1; b=$?; $<TARGET_FILE:dynalab> --lesson 07_dyna_maze --from-step 3 --step 2 --exit 2>&1; c=$?; test $a -eq 2 && test $b -eq 2 && test $c -eq 2 && echo all-exit-2")
  set_tests_properties(gui_scripted_bad_lesson PROPERTIES PASS_REGULAR_EXPRESSION "no_such_lesson: no such lesson.*--step 99: the lesson has 5 steps.*--from-step 3: needs --lesson NAME and --step K with 3 <= K \\(got --step 2\\).*all-exit-2")
  # A malformed lesson file is reported naming the file and the step; the other lessons work.
  add_test(NAME gui_scripted_broken_lesson_skipped
           COMMAND sh -c "rm -rf ${GUI_OUT}/assets && cp -r ${PROJECT_SOURCE_DIR}/assets ${GUI_OUT}/assets && sed 's/\"episode\": 1}/\"episode\": \"soon\"}/' ${PROJECT_SOURCE_DIR}/assets/lessons/07_dyna_maze.json > ${GUI_OUT}/assets/lessons/00_broken.json && DYNALAB_ASSETS=${GUI_OUT}/assets LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1280x800x24' $<TARGET_FILE:dynalab> --lesson 08_changing_world --step 1 --ticks 20 --size 1280x800 --exit 2>&1")
  set_tests_properties(gui_scripted_broken_lesson_skipped PROPERTIES PASS_REGULAR_EXPRESSION "lesson skipped: [^\n]*00_broken.json: steps\\[0\\].until.episode: expected[^\n]*\n.*scripted: blocking_maze, 20 ticks")
  # Lessons open in presentation mode and it lays out the lab: the three cart-poles of a
  # variants step each get a world at least 400 px wide at 1600x1000 (in three rows; 280 px wide
  # with 28 px poles in columns before), plot text 20+ px; --no-presentation turns it off.
  add_test(NAME gui_scripted_lesson_presentation_layout
           COMMAND sh -c "LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --lesson 06_planning_with_uncertainty --step 2 --ticks 5 --size 1600x1000 --screenshot ${GUI_OUT}/lesson_presentation.png --exit 2>&1 && LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --lesson 06_planning_with_uncertainty --step 2 --ticks 5 --size 1600x1000 --no-presentation --exit 2>&1")
  set_tests_properties(gui_scripted_lesson_presentation_layout PROPERTIES RESOURCE_LOCK xvfb
                       PASS_REGULAR_EXPRESSION "layout: presentation on, ui font [3-9][0-9] px, plot font [2-9][0-9] px, worlds [0-9]+x[0-9]+ in 3 x 1 \\(counters [a-z]+\\), world ([4-9][0-9][0-9]|[0-9][0-9][0-9][0-9])x[0-9]+ px each.*layout: presentation off")
  # A step's claims in the lesson panel, measured on the variants' snapshots at the pause: a true
  # one and a false one (a fixture lesson in a copy of the assets).
  add_test(NAME gui_scripted_lesson_claims
           COMMAND sh -c "rm -rf ${GUI_OUT}/claims_assets && cp -r ${PROJECT_SOURCE_DIR}/assets ${GUI_OUT}/claims_assets && cp ${PROJECT_SOURCE_DIR}/tests/lessons/00_claims_check.json ${GUI_OUT}/claims_assets/lessons/ && DYNALAB_ASSETS=${GUI_OUT}/claims_assets LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --lesson 00_claims_check --step 1 --size 1600x1000 --screenshot ${GUI_OUT}/lesson_claims.png --exit 2>&1")
  set_tests_properties(gui_scripted_lesson_claims PROPERTIES RESOURCE_LOCK xvfb
                       PASS_REGULAR_EXPRESSION "claim 1: true: n = 50 needs fewer real steps than n = 0 -- n = 50: [0-9]+, n = 0: [0-9]+\nclaim 2: false: n = 0 reaches the goal in under 5 steps[^\n]* -- n = 0: [0-9]+ \\(below 5\\)")
  # The MPC overlay drawn from a synthetic PlanTrace, and presentation mode.
  add_test(NAME gui_scripted_mpc_overlay_presentation
           COMMAND sh -c "LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --experiment dyna_maze --ticks 50 --demo-plan-trace --presentation --screenshot ${GUI_OUT}/mpc_demo.png --exit && $<TARGET_FILE:png_stats> ${GUI_OUT}/mpc_demo.png 12")
  # Bad input exits 2 with a message naming the key, before any window opens (no display needed).
  add_test(NAME gui_scripted_bad_input
           COMMAND sh -c "$<TARGET_FILE:dynalab> --experiment dyna_maze --set agent.alpha=7 --ticks 5 --exit 2>&1; test $? -eq 2 && echo exit-2")
  set_tests_properties(gui_scripted_bad_input PROPERTIES PASS_REGULAR_EXPRESSION "agent.alpha: expected a number in \\(0, 1\\], got 7.*exit-2")
  # A corrupt settings file is ignored with a message, never a crash.
  add_test(NAME gui_scripted_corrupt_settings
           COMMAND sh -c "printf '{ not json' > ${GUI_OUT}/corrupt_settings.json && LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --settings ${GUI_OUT}/corrupt_settings.json --experiment dyna_maze --ticks 5 --exit 2>&1")
  set_tests_properties(gui_scripted_corrupt_settings PROPERTIES PASS_REGULAR_EXPRESSION "ignored corrupt settings file.*scripted: dyna_maze, 5 ticks")
  # Settings are written on exit and read back (font scale, presentation mode).
  add_test(NAME gui_scripted_settings_roundtrip
           COMMAND sh -c "rm -f ${GUI_OUT}/settings.json && LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --settings ${GUI_OUT}/settings.json --font-scale 2 --presentation --experiment dyna_maze --ticks 1 --exit && cat ${GUI_OUT}/settings.json")
  set_tests_properties(gui_scripted_settings_roundtrip PROPERTIES PASS_REGULAR_EXPRESSION "\"font_scale\": 2.0,[^}]*\"presentation\": true")
  # Grid editing through the runner's command queue: a free cell becomes a wall, a wall a free
  # cell, the start cell refuses (status error, exit 2 in scripted mode).
  add_test(NAME gui_scripted_grid_edit
           COMMAND sh -c "LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --experiment dyna_maze --toggle-wall 0,0 --toggle-wall 1,2 --ticks 3 --exit 2>&1 && LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --experiment dyna_maze --toggle-wall 2,0 --ticks 3 --exit 2>&1; test $? -eq 2 && echo start-refused")
  set_tests_properties(gui_scripted_grid_edit PROPERTIES RESOURCE_LOCK xvfb
                       PASS_REGULAR_EXPRESSION "cell \\(0,0\\) is a wall\ncell \\(1,2\\) is free.*cannot put a wall on the start.*start-refused")
  # The GUI benchmark's measurement mode: frame build times while the worker trains, as JSON.
  add_test(NAME gui_frame_stats
           COMMAND sh -c "LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1280x800x24' $<TARGET_FILE:dynalab> --experiment cartpole_swingup_pets --set random_steps=20 --ticks 100000 --frames 12 --size 1280x800 --frame-stats ${GUI_OUT}/frame_stats.json && cat ${GUI_OUT}/frame_stats.json")
  set_tests_properties(gui_frame_stats PROPERTIES RESOURCE_LOCK xvfb
                       PASS_REGULAR_EXPRESSION "\"frames\": 12,.*\"build_ms\": {[^}]*\"p99\"")
  # File > Export > World as SVG, scripted: the world with the overlays of the snapshot's views,
  # drawn by the screen's code into SvgCanvas: Q arrows and heat-map cells on the Dyna maze, the
  # plan fan's polylines on an MPC preset.
  add_test(NAME gui_scripted_world_svg
           COMMAND sh -c "set -e; o=${GUI_OUT}/world_svg; rm -rf $o; mkdir -p $o; LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1280x800x24' $<TARGET_FILE:dynalab> --experiment dyna_maze --ticks 1500 --export-world-svg $o/maze.svg --size 1280x800 --exit 2>&1; LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1280x800x24' $<TARGET_FILE:dynalab> --experiment point_mass_oracle --ticks 30 --export-world-svg $o/plan.svg --size 1280x800 --exit 2>&1; tail -c 7 $o/maze.svg | grep -q '</svg>'; echo maze-arrows=\$(grep -c 'class=.arrow.' $o/maze.svg) maze-cells=\$(grep -c '<rect x=.*fill-opacity=.0.92' $o/maze.svg) plan-polylines=\$(grep -c '<polyline' $o/plan.svg)")
  set_tests_properties(gui_scripted_world_svg PROPERTIES RESOURCE_LOCK xvfb
                       PASS_REGULAR_EXPRESSION "maze-arrows=[1-9][0-9]+ maze-cells=[1-9][0-9]+ plan-polylines=[1-9][0-9]+")
  # File > Export all and Save session, scripted: every plot as a non-blank PNG next to its SVG,
  # the viewport PNG, README.txt listing them; then the saved session loads and runs on.
  add_test(NAME gui_scripted_export_all_and_session
           COMMAND sh -c "set -e; o=${GUI_OUT}/export_all; s=${GUI_OUT}/export_session; rm -rf $o $s; LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --experiment dyna_maze --ticks 1500 --save-session $s --export-all $o --size 1600x1000 --exit 2>&1; $<TARGET_FILE:png_stats> $o/viewport.png 12; grep -q '^viewport.png ' $o/README.txt; n=0; for svg in $o/figures/*.svg; do png=\${svg%.svg}.png; $<TARGET_FILE:png_stats> $png 5; grep -q \"^figures/\$(basename $png) \" $o/README.txt; n=\$((n+1)); done; test -f $s/session.json; LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --load-session $s --ticks 100 --exit 2>&1; echo plots-exported=\$n")
  set_tests_properties(gui_scripted_export_all_and_session PROPERTIES RESOURCE_LOCK xvfb
                       PASS_REGULAR_EXPRESSION "scripted: dyna_maze, 1500 ticks.*scripted: dyna_maze, 100 ticks.*plots-exported=[1-9]")
  # The same for a learned-model MPC run: its four plots (return, objective, model loss,
  # disagreement) as PNGs, the dataset and the model weights.
  add_test(NAME gui_scripted_export_all_mpc
           COMMAND sh -c "set -e; o=${GUI_OUT}/export_all_mpc; rm -rf $o; LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --experiment pendulum_mpc --set random_steps=60 --set model.epochs=6 --set 'model.hidden=[16,16]' --set planner.population=40 --ticks 600 --export-all $o --size 1600x1000 --exit 2>&1; $<TARGET_FILE:png_stats> $o/viewport.png 12; n=0; for svg in $o/figures/*.svg; do png=\${svg%.svg}.png; $<TARGET_FILE:png_stats> $png 5; n=\$((n+1)); done; test -f $o/dataset.npy; test -f $o/model/ensemble.bin; grep -q '^model/ensemble.bin ' $o/README.txt; echo plots-exported=\$n")
  set_tests_properties(gui_scripted_export_all_mpc PROPERTIES RESOURCE_LOCK xvfb
                       PASS_REGULAR_EXPRESSION "scripted: pendulum_mpc, 600 ticks.*plots-exported=[3-9]")
  # A session that cannot be loaded exits 2 naming the file, before any window opens.
  add_test(NAME gui_scripted_bad_session
           COMMAND sh -c "$<TARGET_FILE:dynalab> --load-session ${GUI_OUT}/no_such_session --ticks 5 --exit 2>&1; test $? -eq 2 && echo exit-2")
  set_tests_properties(gui_scripted_bad_session PROPERTIES PASS_REGULAR_EXPRESSION "no_such_session: no such session folder.*exit-2")
  # The uncertainty and distribution-shift lab: every view draws its analysis (no error, not
  # "waiting"), and its pane is not blank.
  add_test(NAME gui_scripted_lab_views
           COMMAND ${GUI_DIR}/lab_test.sh $<TARGET_FILE:dynalab> $<TARGET_FILE:png_stats> ${GUI_OUT}/lab)
  set_tests_properties(gui_scripted_lab_views PROPERTIES TIMEOUT 600)
  # Side by side: cliff_hill v0.5 / v1.0 / v1.5 on three runners; v0.5 ends in the pit.
  add_test(NAME gui_scripted_side_by_side
           COMMAND sh -c "LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1600x1000x24' $<TARGET_FILE:dynalab> --side-by-side cliff_hill --ticks 400 --size 1600x1000 --screenshot ${GUI_OUT}/side_by_side.png --exit 2>&1 && $<TARGET_FILE:png_stats> ${GUI_OUT}/side_by_side.png 12 && $<TARGET_FILE:dynalab> --side-by-side no_such_env --exit 2>&1; test $? -eq 2 && echo unknown-env-exit-2")
  set_tests_properties(gui_scripted_side_by_side PROPERTIES
                       PASS_REGULAR_EXPRESSION "scripted: cliff_hill_v05, 400 ticks.*no MBRL versions registered for 'no_such_env'.*unknown-env-exit-2")
  # A bad lab view exits 2 naming the flag, before any window opens.
  add_test(NAME gui_scripted_bad_lab_view
           COMMAND sh -c "$<TARGET_FILE:dynalab> --experiment cliff_hill_v05 --lab heatmap --exit 2>&1; test $? -eq 2 && echo exit-2")
  set_tests_properties(gui_scripted_bad_lab_view PROPERTIES PASS_REGULAR_EXPRESSION "--lab: expected one of disagreement_map, .*got 'heatmap'.*exit-2")
  # --help (CLI11) lists every flag on stdout and exits 0; a bad number exits 2 naming its flag.
  add_test(NAME gui_help COMMAND sh -c "$<TARGET_FILE:dynalab> --help; echo rc=$?")
  set_tests_properties(gui_help PROPERTIES PASS_REGULAR_EXPRESSION
                       "Usage: dynalab.*--experiment NAME.*--set KEY=VALUE.*--screenshot FILE.png.*--exit.*--lab VIEW.*--lesson NAME.*--step K.*rc=0")
  add_test(NAME gui_bad_flags
           COMMAND sh -c "$<TARGET_FILE:dynalab> --ticks 1x --exit 2>&1; a=$?; $<TARGET_FILE:dynalab> --size 10x10 --exit 2>&1; b=$?; $<TARGET_FILE:dynalab> --no-such-flag 2>&1; c=$?; test $a -eq 2 && test $b -eq 2 && test $c -eq 2 && echo all-exit-2")
  set_tests_properties(gui_bad_flags PROPERTIES PASS_REGULAR_EXPRESSION
                       "^error: --ticks: expected an integer in \\[0, 1099511627776\\], got '1x'\nerror: --size: expected WxH.*got '10x10'\nerror: .*--no-such-flag\nall-exit-2")
  set_tests_properties(gui_scripted_all_experiments PROPERTIES TIMEOUT 600)
  # Recording (issue 22), headless on the simulated clock; video_check decodes with libavcodec.
  # 2 s of lesson 07 step 2 at 30 fps: 60 frames at the window's size; frame 45 (tick 45) against
  # a --screenshot of tick 45 (H.264 is lossy: a small mean difference); a second run gives the
  # same frames (the same hash of the decoded RGB) and the same bytes.
  set(REC_RUN "LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1024x640x24' $<TARGET_FILE:dynalab>")
  add_test(NAME gui_record_lesson_mp4
           COMMAND sh -c "set -e; o=${GUI_OUT}/record; rm -rf $o; mkdir -p $o; ${REC_RUN} --lesson 07_dyna_maze --step 2 --size 960x600 --record $o/a.mp4 --seconds 2 2>&1; ${REC_RUN} --lesson 07_dyna_maze --step 2 --size 960x600 --record $o/b.mp4 --seconds 2 2>&1; ${REC_RUN} --lesson 07_dyna_maze --step 2 --size 960x600 --ticks 45 --screenshot $o/tick45.png --exit 2>&1; $<TARGET_FILE:video_check> $o/a.mp4 --compare 45 $o/tick45.png; ha=\$($<TARGET_FILE:video_check> $o/a.mp4 | sed 's/.*rgb hash //'); hb=\$($<TARGET_FILE:video_check> $o/b.mp4 | sed 's/.*rgb hash //'); test \"$ha\" = \"$hb\" && echo same-frames; cmp $o/a.mp4 $o/b.mp4 && echo same-bytes")
  set_tests_properties(gui_record_lesson_mp4 PROPERTIES RESOURCE_LOCK xvfb PASS_REGULAR_EXPRESSION
                       "recorded [^\n]*a.mp4: 60 frames \\(2.0 s at 30 fps\\), 960x600[^\n]*\n.*a.mp4: 60 frames, 960x600, 30 fps, h264, rgb hash [0-9a-f]+\nframe 45 vs [^\n]*tick45.png: mean abs diff [0-2]\\.[0-9]+\nsame-frames\nsame-bytes")
  # A GIF of an experiment at 10 fps and half size: 10 frames of 480x300.
  add_test(NAME gui_record_experiment_gif
           COMMAND sh -c "set -e; o=${GUI_OUT}/record_gif; rm -rf $o; mkdir -p $o; ${REC_RUN} --experiment dyna_maze --size 960x600 --record $o/maze.gif --seconds 1 --record-fps 10 --record-speed 100 --record-scale 0.5 2>&1; $<TARGET_FILE:video_check> $o/maze.gif")
  set_tests_properties(gui_record_experiment_gif PROPERTIES RESOURCE_LOCK xvfb PASS_REGULAR_EXPRESSION
                       "recorded [^\n]*maze.gif: 10 frames \\(1.0 s at 10 fps\\), 480x300.*maze.gif: 10 frames, 480x300, [0-9.]+ fps, gif")
  # A whole lesson, one GIF per step: each step from its start to its condition (at most 5 s
  # here; step 4's ten runs are cut, and say so), then 1 s at the pause.
  add_test(NAME gui_record_whole_lesson
           COMMAND sh -c "set -e; o=${GUI_OUT}/record_lesson; rm -rf $o; ${REC_RUN} --lesson 07_dyna_maze --size 960x600 --record-lesson $o --record-speed 600 --record-fps 10 --seconds 5 --record-format gif --record-scale 0.5 2>&1; for k in 1 2 3 4 5; do $<TARGET_FILE:video_check> $o/07_dyna_maze_step$k.gif; done")
  set_tests_properties(gui_record_whole_lesson PROPERTIES RESOURCE_LOCK xvfb PASS_REGULAR_EXPRESSION
                       "recorded [^\n]*07_dyna_maze_step1.gif: [1-9][0-9]* frames.*step 4: cut at 5 s before its condition \\(tick [0-9]+\\)\nrecorded [^\n]*07_dyna_maze_step4.gif: 50 frames \\(5.0 s at 10 fps\\), 480x300.*recorded [^\n]*07_dyna_maze_step5.gif.*step1.gif: [1-9][0-9]* frames, 480x300.*step5.gif: [1-9][0-9]* frames, 480x300, [0-9.]+ fps, gif")
  # Bad input exits 2 with one line before any window opens: an unknown extension, a folder
  # that takes no files (/proc, even for root), a bad or missing --seconds.
  add_test(NAME gui_record_bad_input
           COMMAND sh -c "d=$<TARGET_FILE:dynalab>; $d --lesson 07_dyna_maze --step 2 --record x.avi --seconds 2 2>&1; a=$?; $d --experiment dyna_maze --record /proc/no/x.mp4 --seconds 2 2>&1; b=$?; $d --experiment dyna_maze --record /proc/x.mp4 --seconds 2 2>&1; c=$?; $d --experiment dyna_maze --record x.mp4 --seconds 0 2>&1; e=$?; $d --experiment dyna_maze --record x.mp4 2>&1; f=$?; $d --experiment dyna_maze --record x.mp4 --seconds 0.001 2>&1; g=$?; test $a$b$c$e$f$g = 222222 && echo all-exit-2")
  set_tests_properties(gui_record_bad_input PROPERTIES PASS_REGULAR_EXPRESSION
                       "^error: x.avi: unknown video format '.avi' \\(expected .mp4 or .gif\\)\nerror: /proc/no/x.mp4: no such folder /proc/no\nerror: /proc/x.mp4: folder /proc is not writable \\([^\n]*\\)\nerror: --seconds: expected seconds in \\(0, 3600\\], got '0'\nerror: --record x.mp4: needs --seconds S \\(the video's length\\)\nerror: --seconds 0.001: shorter than one frame at 30 frames/s\nall-exit-2")
  # A disk that fills mid-recording (a 300 KB file-size limit: writes fail as on a full disk):
  # headless, one line naming the file, exit 1, no partial file; live (the Record button's
  # recording under the GUI benchmark), one line and the frames go on to the end.
  # (No ';' in these regexes: ctest splits its pass expressions on them, any one passing.)
  set(REC_FULL ${GUI_OUT}/record_full)
  add_test(NAME gui_record_disk_full
           COMMAND bash -c "rm -rf ${REC_FULL}; mkdir -p ${REC_FULL}; LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1024x640x24' bash -c 'ulimit -f 300; exec $<TARGET_FILE:dynalab> --experiment dyna_maze --size 960x600 --record ${REC_FULL}/full.mp4 --seconds 30 --record-speed 300' 2>&1; echo headless-exit=$?; LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 1024x640x24' bash -c 'ulimit -f 20; exec $<TARGET_FILE:dynalab> --experiment dyna_maze --size 960x600 --ticks 100000 --frames 300 --frame-stats ${REC_FULL}/stats.json --record ${REC_FULL}/live.mp4' 2>&1; echo live-exit=$?; grep -o '\"frames\": [0-9]*' ${REC_FULL}/stats.json; ls ${REC_FULL}")
  set_tests_properties(gui_record_disk_full PROPERTIES RESOURCE_LOCK xvfb PASS_REGULAR_EXPRESSION
                       "error: [^\n]*full.mp4: cannot write \\(File too large\\). recording stopped after [0-9]+ frames, partial file removed\nheadless-exit=1\n.*error: [^\n]*live.mp4: cannot write \\(File too large\\). recording stopped after [0-9]+ frames, partial file removed\n.*live-exit=0\n\"frames\": 300\nstats.json\n*$")
  # The recorder itself on synthetic frames (no window): counts, sizes, drops, bad paths, EFBIG.
  add_test(NAME video_recorder_unit COMMAND $<TARGET_FILE:video_recorder_test>)
endif()
# xvfb-run -a can race for a display number when two start at once: one Xvfb test at a time.
if(XVFB_RUN)
  set_tests_properties(gui_scripted_all_experiments gui_scripted_all_lessons gui_scripted_broken_lesson_skipped gui_scripted_mpc_overlay_presentation
                       gui_scripted_lab_views gui_scripted_side_by_side
                       gui_scripted_corrupt_settings gui_scripted_settings_roundtrip PROPERTIES RESOURCE_LOCK xvfb)
endif()
