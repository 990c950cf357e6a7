#pragma once
// The window, its OpenGL 3.3 core context and Dear ImGui with the GLFW and OpenGL3 backends,
// set up and torn down as in Dear ImGui's example_glfw_opengl3.

struct GLFWwindow;

namespace dynalab {

struct Settings;

/// Opens the window at the settings' size (vsync off in scripted mode) and sets up ImGui;
/// nullptr after "error: ..." on stderr (no display, no OpenGL 3.3).
GLFWwindow* open_window(const Settings& settings, bool scripted);

/// Shuts ImGui down and closes the window (after the App and its worker threads are gone).
void close_window(GLFWwindow* window);

}  // namespace dynalab
