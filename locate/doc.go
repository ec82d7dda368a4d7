// Package locate places a few units (response vehicles, ambulances, fire
// engines) among candidate sites so that weighted demand is reached
// quickly, given a matrix of travel times in minutes. It solves three
// classic facility-location models with heuristics, proves a bound on
// the optimum for every answer, and solves small instances exactly. It
// knows nothing of what the units are.
//
// # The models
//
// A Problem has candidates c = 0..C−1, demand points d = 0..D−1 with
// weights w_d ≥ 0 (expected incidents, say), times t_cd in minutes (+Inf
// where c cannot reach d), P units of which the Fixed ones are placed in
// advance, and at most PerSite units per candidate. For a threshold T,
// N(c) = {d : t_cd ≤ T} are the points c covers and M(d) = {c : t_cd ≤
// T} the candidates covering d. x_c is the number of units at c:
//
//	Σ_c x_c = P,   fixed_c ≤ x_c ≤ PerSite
//
// MaxCover is the maximal covering location problem (R. Church and C.
// ReVelle, "The maximal covering location problem", Papers of the
// Regional Science Association 32, 1974): with y_d ∈ {0, 1},
//
//	maximise Σ_d w_d·y_d   subject to   y_d ≤ Σ_{c∈M(d)} x_c
//
// the weight of demand within T of at least one unit.
//
// PMedian is the p-median problem (S. L. Hakimi, "Optimum locations of
// switching centers and the absolute centers and medians of a graph",
// Operations Research 12, 1964; C. ReVelle and R. Swain, "Central
// facilities location", Geographical Analysis 2, 1970): the weighted
// mean time from each demand point to its nearest unit,
//
//	minimise Σ_d w_d·min(Penalty, min_{c: x_c>0} t_cd) / Σ_d w_d
//
// Unreachable demand is charged, not dropped: a point costs at most
// Penalty minutes, which by default is twice the longest finite time in
// the matrix, so every solution pays it for a point no unit reaches
// and the model prefers reaching a point to not reaching it. A point no
// candidate reaches adds the same to every solution. Solution.Unreached
// reports the weight nothing chosen reaches.
//
// ExpectedCover is the maximum expected covering location problem (M. S.
// Daskin, "A maximum expected covering location model: formulation,
// properties and heuristic solution", Transportation Science 17(1),
// 1983). Each unit is busy with probability q = Busy, independently of
// the others, so a point within T of k units is covered with probability
// 1 − q^k. Daskin's linear form, with y_dk ∈ {0, 1},
//
//	maximise Σ_d Σ_{k=1..P} w_d·(1−q)·q^(k−1)·y_dk   subject to   Σ_k y_dk ≤ Σ_{c∈M(d)} x_c
//
// has coefficients that fall with k, so an optimal y takes a point's
// first k_d covers and the objective is Σ_d w_d·(1 − q^k_d). With q = 0
// it is MaxCover. Daskin lets several units share a site, and so does
// this package, up to PerSite: a base with two vehicles is a real
// choice, and ExpectedCover values the second one (MaxCover and PMedian
// never gain from it). The same q for every unit and independent
// availability are the model's simplifications; R. Batta, J. M. Dolan
// and N. N. Krishnamurthy, "The maximal expected covering location
// problem: revisited", Transportation Science 23(4), 1989, discuss them,
// and the hypercube queueing model (R. C. Larson, Computers & Operations
// Research 1, 1974) removes them at much greater cost.
//
// # Why greedy choices work: submodularity
//
// Write k_d(S) for the units of a solution S within T of d. The covering
// objectives are Σ_d w_d·g(k_d(S)) with g(k) = 1 − q^k concave and
// increasing (g(k) = [k ≥ 1] for MaxCover), so adding a unit helps less
// the more units there are: the objective is monotone submodular. Two
// consequences are used throughout. The greedy solution is within
// 1 − 1/e ≈ 63% of the optimum (G. L. Nemhauser, L. A. Wolsey and M. L.
// Fisher, "An analysis of approximations for maximizing submodular set
// functions", Mathematical Programming 14, 1978); in practice it is
// within a few per cent. And for any solution S and units R still to
// add, f(S ∪ R) ≤ f(S) + Σ_{c∈R} gain(c | S): the value plus the largest
// single gains bounds every completion, the "simple bound". For PMedian
// the saving in total time has the same property (G. Cornuéjols, M. L.
// Fisher and G. L. Nemhauser, "Location of bank accounts to optimize
// float", Management Science 23(8), 1977).
//
// # The algorithms
//
// Solve compiles the Problem (dropping points of zero weight; for the
// covering models, the sets N(c) and M(d) in compressed sparse arrays;
// for PMedian, each point's candidates sorted by time, cut at Penalty),
// then:
//
//  1. Greedy: from the fixed units, add the unit that gains most, P
//     times.
//  2. Swap: move the unit whose move to another candidate improves the
//     objective most, until none does (M. B. Teitz and P. Bart, "Heuristic
//     methods for estimating the generalized vertex median of a weighted
//     graph", Operations Research 16, 1968). Every swap is priced in O(1)
//     from tables kept up to date move by move, the fast interchange of
//     R. A. Whitaker ("A fast algorithm for the greedy interchange for
//     large-scale clustering and median location problems", INFOR 21,
//     1983), in the form of M. G. C. Resende and R. F. Werneck ("A
//     fast swap-based local search procedure for location problems",
//     Annals of Operations Research 150, 2007): the gain of adding at each
//     candidate, the loss of removing from each open one, and an extra
//     term for each pair that covers or serves a point in common. For
//     PMedian the tables rest on each point's nearest and second-nearest
//     unit; for the covering models on each point's number of units in
//     reach. A move updates them only for the points it affects.
//  3. Then rounds of 100 iterations alternate between the bound and a
//     tabu search until the two meet (the answer is then proven optimal)
//     or their budgets run out. Each uses the other's latest result: the
//     bound's steps aim at the best objective known and restart from the
//     best solution's multipliers when it improves, and the search stops
//     when it reaches the bound.
//
// The bound is Lagrangian relaxation. For the covering models the
// coverage constraints are relaxed with multipliers λ_d ≥ 0 (R. D. Galvão
// and C. ReVelle, "A Lagrangean heuristic for the maximal covering
// location problem", European Journal of Operational Research 88, 1996;
// the same relaxation of Daskin's form for ExpectedCover):
//
//	L(λ) = Σ_d Σ_{k=1..P} max(0, w_d·(1−q)·q^(k−1) − λ_d) + max_x Σ_c x_c·Σ_{d∈N(c)} λ_d
//
// and for PMedian the assignment constraints, with free multipliers u_d
// (J. E. Beasley, "Lagrangean heuristics for location problems", European
// Journal of Operational Research 65, 1993):
//
//	L(u) = Σ_d u_d + Σ_d min(0, w_d·Penalty − u_d) + min_x Σ_c x_c·Σ_d min(0, w_d·t_cd − u_d)
//
// (the second sum is an assignment to "unreached", at the penalty).
// Both are solved in O(nonzeros) by sorting, and both bound the optimum
// for any multipliers, so the bound is valid however far the
// optimisation has got. Their best value equals the linear-programming
// relaxation's (the subproblems have integral optima: A. M. Geoffrion,
// "Lagrangean relaxation for integer programming", Mathematical
// Programming Study 2, 1974). The multipliers start where L is the simple
// bound of the current solution and are improved by subgradient
// optimisation (Beasley's step rule; for the covering models with
// directions averaged as in F. Barahona and R. Anbil's volume algorithm,
// Mathematical Programming 87, 2000, which damps the zig-zag of the
// plain method; for PMedian with steps scaled by the squared weights).
// Every relaxation solution x is itself a set of P units: the best of
// each round is polished by swaps and replaces the incumbent if better
// (the Lagrangian heuristic).
//
// The linear relaxation of MaxCover and PMedian is tight or nearly so on
// the instances tried: the benchmark county (500 sites, 5,000 points, 10
// units, T = 20 minutes) is proven optimal for both. ExpectedCover's is
// weaker, because a fractional x can spread a unit's expected cover
// thinly: its gaps were 0.16–0.20% on the benchmark counties. MaxCover
// with a tighter T (15 or 10 minutes, where 10 units leave much demand
// uncovered) ended at 0.10–0.23%. On 150 synthetic counties of 15–30
// sites solved exactly (50 per model), the heuristic found the optimum
// every time and the bound proved it in 144.
//
// The tabu search (F. Glover, "Tabu search — Part I", ORSA Journal on
// Computing 1(3), 1989) makes the best swap each iteration even when it
// worsens the objective; a candidate that just lost a unit may not regain
// one for a random tenure of up to half the closed candidates, and one
// that gained may not lose it for up to a third of the movable units,
// unless the move gives a new best. It stops after Options.Patience moves
// without a new best or Options.MaxIterations moves. Its random tenures
// come from a math/rand/v2 PCG generator seeded with Options.Seed.
//
// SolveExact is a depth-first branch and bound over the number of units
// at each candidate, pruned by the smaller of two bounds: the simple
// bound over the candidates still open to branching, and the gain every
// point would have if all those candidates reached it. It starts from the
// greedy and swap solution. The tests check it against complete
// enumeration, and the heuristics against it.
//
// # Determinism and parallelism
//
// A Solution is a function of the Problem, the Model and the Options:
// the same Seed gives the same Solution, bit for bit, on any machine and
// with any GOMAXPROCS, unless Options.TimeLimit stops the search (which
// Solution.TimedOut reports). The costly loops (the relaxation's sums
// and a move's table updates) run on up to GOMAXPROCS goroutines, each
// piece writing its own buffer; the pieces are a fixed number and are
// added in a fixed order, so the sums do not depend on the number of
// processors. Nothing reads the global random source or logs.
//
// # Cost
//
// Compiling reads the C×D matrix once, O(C·D) (PMedian also sorts each
// point's candidates, O(C·D·log C), and keeps them: 8 bytes per
// candidate–point pair, 20 MB for 500×5,000). A relaxation iteration
// costs O(nonzeros) for the covering models (pairs within T) and the sum
// of the sorted-list prefixes it reads for PMedian. A move costs the
// points it affects times their candidates in reach; pricing all swaps
// costs O(P·C). The move tables take P·C numbers, five times over for
// the parallel pieces. On the benchmark county, on a shared 2-core
// machine: MaxCover 0.15 s, PMedian 0.9–1.4 s, ExpectedCover 1.4–1.7 s,
// and MaxCover with T = 10 minutes 0.8 s (BenchmarkSolve).
//
// Problems are read, never modified; Solve may run concurrently on one
// Problem. Invalid input is reported by errors wrapping ErrInvalid, never
// by panics.
package locate
