// Calls into GLPK under an error hook, so that a GLPK error (which would print and abort the
// process) returns an error code instead. See glpk_guard.c.
//
// Rules for callers (the Solver module):
// - Every function here runs on the calling thread and uses only that thread's GLPK
//   environment (Debian's GLPK keeps it in thread-local storage).
// - A guarded function that returns TPGLPK_FAILED has called glp_free_env(): every problem
//   object created on this thread is gone and must not be used or deleted afterwards.
//   tpglpk_last_error() then returns what GLPK printed.
// - GLPK's own terminal output is switched off on entry to every function here.
#ifndef TRANSIT_GLPK_GUARD_H
#define TRANSIT_GLPK_GUARD_H
#include <glpk.h>

/// Returned by a guarded call when GLPK raised an error (glp_error, a failed assertion or an
/// exhausted memory pool). Every problem object of the calling thread has been freed.
#define TPGLPK_FAILED (-1)

/// Returned by the file functions when the file cannot be opened, read or written; the
/// reason is in tpglpk_last_error(). The problem object is still valid.
#define TPGLPK_IO (-2)

/// What GLPK printed during the last guarded call on this thread that failed (an error
/// message such as "glp_set_col_bnds: j = 5; column number out of range", or a reader's
/// "file.lp:12: syntax error"), NUL-terminated; empty when nothing was printed.
const char *tpglpk_last_error(void);

/// A whole model in flat arrays, to be loaded into a new problem object in one call.
/// Infinite bounds are given as -HUGE_VAL / +HUGE_VAL; every other number must be finite and
/// lower <= upper (the Swift side validates this first).
typedef struct tpglpk_model {
    int rows;                        ///< Number of rows (constraints).
    int cols;                        ///< Number of columns (variables).
    int nonzeros;                    ///< Number of matrix entries.
    int maximize;                    ///< Nonzero to maximise, zero to minimise.
    double constant;                 ///< The objective's constant term.
    const double *col_lower;         ///< cols entries, 0-based.
    const double *col_upper;         ///< cols entries, 0-based.
    const double *col_cost;          ///< cols entries, 0-based.
    const unsigned char *col_integer;///< cols entries, 0-based, nonzero = integer; or NULL (all continuous).
    const double *row_lower;         ///< rows entries, 0-based.
    const double *row_upper;         ///< rows entries, 0-based.
    const int *ia;                   ///< Row numbers, 1-based; element 0 unused; nonzeros + 1 entries.
    const int *ja;                   ///< Column numbers, 1-based; element 0 unused.
    const double *ar;                ///< Values; element 0 unused.
    /// NULL, or 2 + rows + cols NUL-terminated names one after another: the problem, the
    /// objective, every row, every column.
    const char *names;
} tpglpk_model;

/// Creates a problem object and loads `model` into it (glp_add_rows/glp_add_cols once,
/// glp_load_matrix once). Returns 0 and stores the problem in `*out`, or TPGLPK_FAILED.
int tpglpk_build(const tpglpk_model *model, glp_prob **out);

/// glp_simplex under the guard: GLPK's return code, or TPGLPK_FAILED. With `prepare`
/// nonzero, the problem is first scaled and given an advanced initial basis, as glp_intopt's
/// presolver does for its root LP (glp_scale_prob with GM, EQ, 2N and SKIP; glp_adv_basis).
int tpglpk_simplex(glp_prob *problem, const glp_smcp *parm, int prepare);

/// The branch-and-cut search's link to the application: what to hand to GLPK and what was
/// seen in its callback.
typedef struct tpglpk_search {
    // In.
    /// NULL, or cols + 1 values (element 0 unused) of an integer-feasible solution, integer
    /// columns exactly integral, handed to GLPK with glp_ios_heur_sol at the first
    /// GLP_IHEUR call. Only valid when presolve is off (the tree then works on the original
    /// columns).
    const double *incumbent;
    /// NULL, or polled at every callback; nonzero stops the search (glp_ios_terminate).
    /// Must not call GLPK.
    int (*should_stop)(void *context);
    /// Passed to should_stop.
    void *stop_context;
    // Out.
    /// 1 when the incumbent was handed over, 2 when GLPK took it as its new best solution.
    int incumbent_state;
    /// Nonzero once `bound` holds the best local bound of the active nodes seen last.
    int has_bound;
    /// The best bound proven, in the objective's units (constant term included).
    double bound;
    /// Subproblems created so far (glp_ios_tree_size's t_cnt); -1 when the search never
    /// started a tree (presolve solved the problem).
    int nodes;
    /// Nonzero when should_stop asked to stop.
    int stopped;
} tpglpk_search;

/// glp_intopt under the guard, with a callback that tracks the best bound and the node
/// count, offers `search->incumbent` and polls `search->should_stop`. `parm`'s cb_func and
/// cb_info are replaced. Returns GLPK's return code, or TPGLPK_FAILED.
int tpglpk_intopt(glp_prob *problem, const glp_iocp *parm, tpglpk_search *search);

/// Writes the problem: format 0 = CPLEX LP (glp_write_lp), 1 = free MPS (glp_write_mps with
/// GLP_MPS_FILE). For MPS, GLPK writes to `scratch` first; the copy at `path` then has the
/// objective row named after glp_get_obj_name (GLPK always writes R0000000) and, when the
/// problem is a maximisation, an OBJSENSE MAX section (GLPK writes none), and `scratch` is
/// removed. Returns 0, TPGLPK_IO or TPGLPK_FAILED.
int tpglpk_write(glp_prob *problem, int format, const char *path, const char *scratch);

/// Reads a problem from a file: format 0 = CPLEX LP, 1 = free MPS. For MPS, an OBJSENSE
/// section (which glp_read_mps rejects) is taken out through a filtered copy at `scratch`,
/// removed afterwards, and applied with glp_set_obj_dir. Returns 0 and stores a new problem
/// in `*out`, TPGLPK_IO (file missing or malformed; no problem is left behind), or
/// TPGLPK_FAILED.
int tpglpk_read(int format, const char *path, const char *scratch, glp_prob **out);

/// Copies the MIP solution's column values into out[0..<cols].
void tpglpk_mip_values(glp_prob *problem, double *out);

/// Copies the basic solution: primal values and reduced costs of the columns, duals of the
/// rows (any pointer may be NULL).
void tpglpk_lp_solution(glp_prob *problem, double *primal, double *reduced_costs, double *row_duals);

/// Test support: makes GLPK raise an error (glp_set_col_bnds with a column number out of
/// range) under the guard. Returns TPGLPK_FAILED when the guard caught it, which is the
/// expected outcome; any problem object on this thread is freed.
int tpglpk_selftest_error(void);

/// A minimum-cost flow by GLPK's out-of-kilter code (glp_mincost_okalg) under the guard. Nodes are
/// 0-based; arc k runs from tail[k] to head[k] with flow in [low[k], cap[k]] at cost[k] per
/// unit; supply[i] is what node i puts in (negative: takes out). All data must be whole and
/// small enough (GLPK returns GLP_ERANGE otherwise). On 0, flow[k] holds the optimal
/// flow and *total its cost. Returns GLPK's code (0, GLP_ENOPFS, GLP_ERANGE, GLP_EDATA) or
/// TPGLPK_FAILED.
int tpglpk_mincost(int nodes, int arcs, const int *tail, const int *head, const int *low, const int *cap,
                   const int *cost, const int *supply, int *flow, double *total);

#endif
