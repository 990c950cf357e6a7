#pragma once
// How the GUI thread, the learning workers and a software rasteriser share a small machine.
//
// On two cores the worker's planning threads, the GUI thread and Mesa's software rasteriser
// (llvmpipe: Xvfb, VMs, remote desktops) all want the CPU at once. Measured under Xvfb with
// cartpole_swingup_pets training and planning (600 frames, `dynalab-cli bench --filter gui/`):
// with equal priorities and llvmpipe's default two threads the GUI thread waited for a core in
// one frame in ten (build p90 wall - CPU gap 2.6 ms, p99 12 ms wall vs 6 ms CPU). So:
//  - the workers run at a lower priority: whenever the GUI has a frame to build it gets a core
//    at once, and the workers still have all the time the GUI leaves;
//  - llvmpipe gets the cores the two workers leave (none on two cores: it rasterises on the GUI
//    thread), which also made frames faster (interval median 109 -> 64 ms) and left the workers
//    60 % more ticks.

namespace dynalab {

/// Lowers the calling thread's priority (Linux: nice +10 for this thread only; threads it
/// starts afterwards inherit it), if enabled (the default). Does nothing where unsupported;
/// never fails. The GUI's runners call it first on their worker threads.
void lower_worker_priority();

/// Enables or disables lower_worker_priority() for runners started afterwards. Scripted runs
/// (tests, screenshots, lesson walks) disable it: nobody watches their frames, and what they
/// wait for is the worker's progress, which a busy CI machine at normal priority would starve.
/// The frame-time benchmark keeps it, since it measures what a person at the screen gets.
void set_lower_worker_priority(bool enabled);

/// Before the GL context exists: caps Mesa's llvmpipe rasteriser threads at (cores - 2), unless
/// the user set LP_NUM_THREADS. Only a hint to a software renderer; GPU drivers ignore it.
void limit_software_rasteriser_threads();

}  // namespace dynalab
