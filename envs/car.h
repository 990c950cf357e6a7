#pragma once
// The car of mountain_car and cliff_hill. Physically it is one frictionless disc sliding on the
// terrain (no rotation), pushed by the engine along the ground's tangent: a rigid car body on a
// steep sine hill tumbles when it meets the end walls, and Gymnasium's car is a point too. It is
// drawn as a car: a chassis along the ground with two wheels. The disc's centre is its origin
// (the state is exact, see box2d_env.h).

#include "envs/box2d_env.h"

class b2World;
class b2Body;

namespace dynalab {

/// Size of the car (m).
struct CarShape {
  double radius = 0.4;  ///< the disc that touches the ground; also the ride height
  double half_length = 0.7, chassis_height = 0.35, wheel_radius = 0.17;
};

/// Creates the car body (not yet registered as a state body) at the origin.
b2Body* create_car(b2World& world, const CarShape& shape);
/// The pose of a car resting on ground of height h (m) and slope dh/dx at x, with speed v (m/s)
/// along the ground.
BodyState car_on_ground(const CarShape& shape, double x, double h, double slope, double v);
/// Pushes the car with `force` (N) along the ground of slope dh/dx (call before every sub-step).
void push_car(b2Body* car, double force, double slope);
/// Draws the car centred at `centre` on ground of slope dh/dx.
void draw_car(Canvas& canvas, const CarShape& shape, Vec2 centre, double slope, Color color);

}  // namespace dynalab
