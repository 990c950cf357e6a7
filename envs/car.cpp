#include "envs/car.h"

#include <box2d/box2d.h>

#include <cmath>

namespace dynalab {

b2Body* create_car(b2World& world, const CarShape& s) {
  b2BodyDef def;
  def.type = b2_dynamicBody;
  def.fixedRotation = true;  // it slides; rotation plays no part
  b2Body* car = world.CreateBody(&def);
  b2CircleShape disc;
  disc.m_radius = float(s.radius);
  b2FixtureDef fd;
  fd.shape = &disc;
  fd.density = 1;
  fd.friction = 0;  // the engine force is the only traction, as in Gymnasium
  fd.restitution = 0;
  car->CreateFixture(&fd);
  return car;
}

BodyState car_on_ground(const CarShape& s, double x, double h, double slope, double v) {
  const double n = std::sqrt(1 + slope * slope);
  const double nx = -slope / n, ny = 1 / n;  // unit normal of the ground
  const double r = s.radius + 0.002;         // a hair above, so it settles instead of popping out
  return {x + r * nx, h + r * ny, 0, v / n, v * slope / n, 0};
}

void push_car(b2Body* car, double force, double slope) {
  const double n = std::sqrt(1 + slope * slope);
  car->ApplyForceToCenter(b2Vec2(float(force / n), float(force * slope / n)), true);
}

void draw_car(Canvas& canvas, const CarShape& s, Vec2 c, double slope, Color color) {
  const double n = std::sqrt(1 + slope * slope);
  const Vec2 t{1 / n, slope / n}, up{-slope / n, 1 / n};
  auto at = [&](double along, double above) {
    return Vec2{c.x + along * t.x + above * up.x, c.y + along * t.y + above * up.y};
  };
  // Wheels touch the ground (the disc's bottom is at -radius); the chassis sits on them.
  const double wheel_y = -s.radius + s.wheel_radius, L = s.half_length, H = s.chassis_height;
  const Vec2 chassis[4] = {at(-L, wheel_y + 0.05), at(L, wheel_y + 0.05), at(L, wheel_y + 0.05 + H),
                           at(-L, wheel_y + 0.05 + H)};
  canvas.polygon(chassis, color, palette::body_outline);
  const Vec2 cabin[4] = {at(-0.45 * L, wheel_y + 0.05 + H), at(0.3 * L, wheel_y + 0.05 + H),
                         at(0.15 * L, wheel_y + 0.05 + 1.8 * H),
                         at(-0.35 * L, wheel_y + 0.05 + 1.8 * H)};
  canvas.polygon(cabin, color.with_alpha(0.8f), palette::body_outline);
  for (double d : {-0.6 * L, 0.6 * L})
    canvas.circle(at(d, wheel_y), s.wheel_radius, palette::wall, palette::body_outline);
}

}  // namespace dynalab
