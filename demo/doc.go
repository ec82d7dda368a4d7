// Package demo is the demonstration force of "arv serve --demo": it
// seeds an empty operations store with a scenario's force and sign-ins,
// and generates made-up armed incidents that play through the real
// services so that the live board moves.
//
// # Seeding
//
// Seed fills an empty store with the scenario's ARVs at their bases, its
// ARV officers in teams with made-up names, accreditations and fitness
// tests (a few lapsed or about to, so that the roster's refusals and the
// reminders show), a roster for the next 28 days on the scenario's shift
// pattern (one shift left short, to show the gap alert) and its key-site
// patrol plans. The names and dates come from a fixed seed, so every demo
// database has the same officers. SetPasswords gives the demo users, one
// per role (Users), new random passwords.
//
// # The incident generator
//
// A Generator records made-up armed incidents through the real services,
// acting as the demo users (so the audit log names them), and plays each
// one through the authorisation record:
//
//   - the call handler records the call, at a place drawn from the
//     scenario's demand sites weighted as the simulator weights them
//     (settlements by population, the demand grid's cells, hotspots by
//     their share: sim.Model.Sites), a little off the site's centre;
//   - after the scenario's call-handling and authorisation delays the
//     ITFC decides: authorised, or for a share of calls not;
//   - the ITFC assigns the first eligible ARV of the recommendation,
//     trying again while none is free and standing the incident down as
//     handed to a neighbour after the scenario's mutual-aid wait;
//   - after the scenario's mobilisation plus the assignment's road ETA
//     the armed officer reports the ARV on scene, at the incident;
//   - the SFC ratifies a few minutes after the authorisation, within the
//     incident's ratification window;
//   - after the scenario's on-scene time the ITFC stands the incident
//     down (a share are stood down on the way, as the simulator does).
//
// Each incident is a small state machine, like a replication of the
// simulator: one method per step, each step due at a time, the step due
// first taken next (in the order above when two fall due at once).
//
// Every delay is the scenario's (or an assumption named in the code)
// divided by the speed-up: at the default 10, a 20-minute drive plays in
// 2 minutes. Arrivals are a Poisson process at the Rate a wall-clock hour
// on average over the week, shaped by the scenario's hour-of-day and
// day-of-week weights at the store's clock. All random draws of an
// incident are made when it arises, from one seeded math/rand/v2 source,
// each distribution by inversion with one uniform number
// (arv.Dist.Quantile, as the simulator draws), so a seed repeats the same
// calls (what the board shows still depends on timing). The records
// carry real times from the store's clock: the response times of a
// generated demo are compressed by the speed-up.
//
// The generator acts only on the incidents it recorded, and leaves one
// alone as soon as its record shows a step it did not take (a person
// decided, assigned, ratified or stood it down). Errors are logged; a
// failing step is tried again a few times, then skipped or the incident
// left. It stops when its context ends.
package demo
