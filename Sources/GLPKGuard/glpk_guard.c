// GLPK's error path (glp_error, failed assertions, memory exhaustion) prints a message and
// calls abort(). GLPK lets an application install a hook (glp_error_hook) that runs first;
// if the hook longjmp()s out, the process survives, provided glp_free_env() is called
// afterwards (the environment, and every problem object of the thread, is then gone).
//
// Swift cannot setjmp, and a longjmp must never cross Swift frames, so every GLPK call that
// can raise an error is made here, in a C function that setjmp()s first and calls GLPK
// directly. The only Swift code that runs inside a guarded call is the cancellation poll of
// the branch-and-cut callback, which does not call GLPK.
//
// Debian's GLPK keeps its environment in thread-local storage, so the hooks, the captured
// message and everything else here are per thread.
#define _POSIX_C_SOURCE 200809L // getline, strncasecmp

#include "glpk_guard.h"

#include <errno.h>
#include <stddef.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

// MARK: - The guard

enum { MESSAGE_CAPACITY = 2048 };

/// What GLPK printed during the current guarded call (the tail, when it printed more).
static _Thread_local char captured[MESSAGE_CAPACITY];
static _Thread_local size_t captured_length;

/// Terminal hook: keeps GLPK's output (the tail of it) and keeps it off standard output.
static int capture_output(void *info, const char *text) {
    (void)info;
    size_t n = strlen(text);
    if (n >= MESSAGE_CAPACITY) {
        text += n - (MESSAGE_CAPACITY - 1);
        n = MESSAGE_CAPACITY - 1;
    }
    if (captured_length + n >= MESSAGE_CAPACITY) {
        size_t keep = MESSAGE_CAPACITY - 1 - n;
        memmove(captured, captured + captured_length - keep, keep);
        captured_length = keep;
    }
    memcpy(captured + captured_length, text, n);
    captured_length += n;
    captured[captured_length] = '\0';
    return 1; // handled: GLPK prints nothing itself
}

/// Cuts the captured text down to its last `lines` non-empty lines, without the final
/// line break.
static void keep_last_lines(int lines) {
    size_t end = captured_length;
    while (end > 0 && (captured[end - 1] == '\n' || captured[end - 1] == ' ')) end--;
    size_t start = end;
    int seen = 0;
    while (start > 0) {
        if (captured[start - 1] == '\n') {
            seen++;
            if (seen == lines) break;
        }
        start--;
    }
    memmove(captured, captured + start, end - start);
    captured_length = end - start;
    captured[captured_length] = '\0';
}

static void set_message(const char *prefix, const char *path, int error_number) {
    snprintf(captured, MESSAGE_CAPACITY, "%s '%s': %s", prefix, path, strerror(error_number));
    captured_length = strlen(captured);
}

const char *tpglpk_last_error(void) { return captured; }

typedef struct guard {
    jmp_buf jump;
} guard;

/// Error hook: leaves the failing GLPK routine for the setjmp() of the guarded function.
static void on_glpk_error(void *info) { longjmp(((guard *)info)->jump, 1); }

/// Starts a guarded section: no terminal output (or, with `capture`, all of it captured), the
/// error hook pointing at `g`.
static void guard_begin(guard *g, int capture) {
    captured_length = 0;
    captured[0] = '\0';
    glp_term_hook(capture_output, NULL);
    glp_term_out(capture ? GLP_ON : GLP_OFF);
    glp_error_hook(on_glpk_error, g);
}

/// Ends a guarded section that returned normally: hooks removed, output off.
static void guard_end(void) {
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    glp_term_out(GLP_OFF);
}

/// After the longjmp: the environment must be freed (GLPK's state is inconsistent); every
/// problem object of the thread goes with it.
static int guard_failed(void) {
    keep_last_lines(2);
    glp_free_env();
    return TPGLPK_FAILED;
}

// Each guarded function declares `guard g;` and then uses GUARD_BEGIN; setjmp must be called
// in the frame that stays alive until the guarded GLPK calls return.
#define GUARD_BEGIN(capture)                  \
    guard g;                                  \
    guard_begin(&g, (capture));               \
    if (setjmp(g.jump) != 0) return guard_failed()

// MARK: - Building

static int bound_type(double lower, double upper) {
    int has_lower = lower > -HUGE_VAL, has_upper = upper < HUGE_VAL;
    if (has_lower && has_upper) return lower == upper ? GLP_FX : GLP_DB;
    if (has_lower) return GLP_LO;
    if (has_upper) return GLP_UP;
    return GLP_FR;
}

static double finite_or_zero(double value) { return isfinite(value) ? value : 0.0; }

int tpglpk_build(const tpglpk_model *model, glp_prob **out) {
    *out = NULL;
    GUARD_BEGIN(0);
    glp_prob *problem = glp_create_prob();
    glp_set_obj_dir(problem, model->maximize ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(problem, 0, model->constant);
    if (model->rows > 0) glp_add_rows(problem, model->rows);
    if (model->cols > 0) glp_add_cols(problem, model->cols);
    for (int i = 0; i < model->rows; i++) {
        double lower = model->row_lower[i], upper = model->row_upper[i];
        glp_set_row_bnds(problem, i + 1, bound_type(lower, upper), finite_or_zero(lower),
                         finite_or_zero(upper));
    }
    for (int j = 0; j < model->cols; j++) {
        double lower = model->col_lower[j], upper = model->col_upper[j];
        glp_set_col_bnds(problem, j + 1, bound_type(lower, upper), finite_or_zero(lower),
                         finite_or_zero(upper));
        if (model->col_cost[j] != 0.0) glp_set_obj_coef(problem, j + 1, model->col_cost[j]);
        if (model->col_integer != NULL && model->col_integer[j])
            glp_set_col_kind(problem, j + 1, GLP_IV);
    }
    if (model->nonzeros > 0)
        glp_load_matrix(problem, model->nonzeros, model->ia, model->ja, model->ar);
    if (model->names != NULL) {
        const char *name = model->names;
        glp_set_prob_name(problem, name);
        name += strlen(name) + 1;
        glp_set_obj_name(problem, name);
        name += strlen(name) + 1;
        for (int i = 1; i <= model->rows; i++) {
            glp_set_row_name(problem, i, name);
            name += strlen(name) + 1;
        }
        for (int j = 1; j <= model->cols; j++) {
            glp_set_col_name(problem, j, name);
            name += strlen(name) + 1;
        }
    }
    guard_end();
    *out = problem;
    return 0;
}

// MARK: - Solving

int tpglpk_simplex(glp_prob *problem, const glp_smcp *parm, int prepare) {
    GUARD_BEGIN(0);
    if (prepare) {
        glp_scale_prob(problem, GLP_SF_GM | GLP_SF_EQ | GLP_SF_2N | GLP_SF_SKIP);
        glp_adv_basis(problem, 0);
    }
    int rc = glp_simplex(problem, parm);
    guard_end();
    return rc;
}

/// The branch-and-cut callback. Every GLPK call here is made with arguments GLPK itself
/// handed over (the tree, its best node) or checked in Swift (the incumbent).
static void search_callback(glp_tree *tree, void *info) {
    tpglpk_search *search = info;
    int active = 0, current = 0, total = 0;
    glp_ios_tree_size(tree, &active, &current, &total);
    if (total > search->nodes) search->nodes = total;

    // The best local bound over the active subproblems bounds every solution still to be
    // found. It only improves as the search goes on; keep the best one seen. GLPK marks
    // "not yet known" with -DBL_MAX / +DBL_MAX.
    int best = glp_ios_best_node(tree);
    if (best != 0) {
        double bound = glp_ios_node_bound(tree, best);
        if (isfinite(bound) && fabs(bound) < DBL_MAX) {
            int minimize = glp_get_obj_dir(glp_ios_get_prob(tree)) == GLP_MIN;
            if (!search->has_bound || (minimize ? bound > search->bound : bound < search->bound))
                search->bound = bound;
            search->has_bound = 1;
        }
    }

    if (glp_ios_reason(tree) == GLP_IHEUR && search->incumbent != NULL &&
        search->incumbent_state == 0) {
        search->incumbent_state = 1;
        if (glp_ios_heur_sol(tree, search->incumbent) == 0) search->incumbent_state = 2;
    }

    if (search->should_stop != NULL && search->should_stop(search->stop_context)) {
        search->stopped = 1;
        glp_ios_terminate(tree);
    }
}

int tpglpk_intopt(glp_prob *problem, const glp_iocp *parm, tpglpk_search *search) {
    glp_iocp local = *parm;
    local.cb_func = search_callback;
    local.cb_info = search;
    search->nodes = -1;
    GUARD_BEGIN(0);
    int rc = glp_intopt(problem, &local);
    guard_end();
    return rc;
}

void tpglpk_mip_values(glp_prob *problem, double *out) {
    int n = glp_get_num_cols(problem);
    for (int j = 1; j <= n; j++) out[j - 1] = glp_mip_col_val(problem, j);
}

void tpglpk_lp_solution(glp_prob *problem, double *primal, double *reduced_costs,
                        double *row_duals) {
    int n = glp_get_num_cols(problem), m = glp_get_num_rows(problem);
    for (int j = 1; j <= n; j++) {
        if (primal != NULL) primal[j - 1] = glp_get_col_prim(problem, j);
        if (reduced_costs != NULL) reduced_costs[j - 1] = glp_get_col_dual(problem, j);
    }
    if (row_duals != NULL)
        for (int i = 1; i <= m; i++) row_duals[i - 1] = glp_get_row_dual(problem, i);
}

// MARK: - Files

/// Splits a free-MPS data line into at most `capacity` blank-separated tokens, in place.
static int split_tokens(char *line, char **tokens, int capacity) {
    int count = 0;
    char *p = line;
    while (*p != '\0' && count < capacity) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') *p++ = '\0';
        if (*p == '\0') break;
        tokens[count++] = p;
        while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') p++;
    }
    return count;
}

/// Copies GLPK's free-MPS output from `from` to `to`, naming the objective row `objective`
/// instead of GLPK's R0000000 and adding an OBJSENSE MAX section when `maximize`.
static int patch_mps(const char *from, const char *to, const char *objective, int maximize) {
    static const char fake[] = "R0000000";
    FILE *in = fopen(from, "r");
    if (in == NULL) {
        set_message("cannot read", from, errno);
        return TPGLPK_IO;
    }
    FILE *out = fopen(to, "w");
    if (out == NULL) {
        set_message("cannot create", to, errno);
        fclose(in);
        return TPGLPK_IO;
    }
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    char section[16] = "";
    int rename_objective = objective != NULL && objective[0] != '\0' && strcmp(objective, fake) != 0;
    while ((length = getline(&line, &capacity, in)) >= 0) {
        if (line[0] != ' ' && line[0] != '*') {
            // An indicator record (NAME, ROWS, COLUMNS, RHS, RANGES, BOUNDS, ENDATA).
            sscanf(line, "%15s", section);
            if (maximize && strcmp(section, "ROWS") == 0) fputs("OBJSENSE\n    MAX\n", out);
            fputs(line, out);
            continue;
        }
        int in_row_section = strcmp(section, "ROWS") == 0 || strcmp(section, "COLUMNS") == 0 ||
                             strcmp(section, "RHS") == 0 || strcmp(section, "RANGES") == 0;
        if (line[0] == '*' || !rename_objective || !in_row_section || strstr(line, fake) == NULL) {
            fputs(line, out);
            continue;
        }
        // Row names sit in field 2 of ROWS records and in fields 3 and 5 of COLUMNS, RHS and
        // RANGES records (tokens 1, 1 and 3 here, field 1 being empty in free MPS).
        char *tokens[16]; // GLPK writes at most 6 fields ("x r1 0 $ empty column")
        int count = split_tokens(line, tokens, 16);
        for (int k = 0; k < count; k++) {
            int row_field = strcmp(section, "ROWS") == 0 ? k == 1 : (k == 1 || k == 3);
            fputc(' ', out);
            fputs(row_field && strcmp(tokens[k], fake) == 0 ? objective : tokens[k], out);
        }
        fputc('\n', out);
    }
    int read_error = ferror(in);
    free(line);
    fclose(in);
    int write_error = ferror(out);
    if (fclose(out) != 0) write_error = 1;
    if (read_error) {
        set_message("cannot read", from, errno);
        return TPGLPK_IO;
    }
    if (write_error) {
        set_message("cannot write", to, errno);
        return TPGLPK_IO;
    }
    return 0;
}

int tpglpk_write(glp_prob *problem, int format, const char *path, const char *scratch) {
    GUARD_BEGIN(1);
    int rc;
    if (format == 0) {
        rc = glp_write_lp(problem, NULL, path);
    } else {
        rc = glp_write_mps(problem, GLP_MPS_FILE, NULL, scratch);
    }
    guard_end();
    if (rc != 0) {
        keep_last_lines(1);
        if (format != 0) remove(scratch);
        return TPGLPK_IO;
    }
    if (format != 0) {
        rc = patch_mps(scratch, path, glp_get_obj_name(problem),
                       glp_get_obj_dir(problem) == GLP_MAX);
        remove(scratch);
    }
    return rc;
}

/// Looks for an OBJSENSE section before ROWS. Returns 1 (maximise), 0 (minimise) or -1 (no
/// such section, the file is read as it is); on finding one, writes the file without it to
/// `scratch` and returns 2 + sense, or TPGLPK_IO.
static int strip_objsense(const char *path, const char *scratch) {
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        set_message("cannot open", path, errno);
        return TPGLPK_IO;
    }
    char *line = NULL;
    size_t capacity = 0;
    long objsense_at = -1, after_at = -1;
    int sense = -1;
    for (;;) {
        long at = ftell(in);
        if (getline(&line, &capacity, in) < 0) break;
        if (line[0] == ' ' || line[0] == '*' || line[0] == '\n') {
            if (objsense_at >= 0 && line[0] == ' ' && sense < 0) {
                char word[16] = "";
                if (sscanf(line, "%15s", word) == 1) sense = strncasecmp(word, "MAX", 3) == 0;
            }
            continue;
        }
        char word[16] = "", value[16] = "";
        int fields = sscanf(line, "%15s %15s", word, value);
        if (objsense_at >= 0) {
            after_at = at;
            break;
        }
        if (strcmp(word, "OBJSENSE") == 0) {
            objsense_at = at;
            if (fields == 2) sense = strncasecmp(value, "MAX", 3) == 0;
        } else if (strcmp(word, "ROWS") == 0) {
            break;
        }
    }
    if (objsense_at < 0) {
        free(line);
        fclose(in);
        return -1;
    }
    FILE *out = fopen(scratch, "w");
    if (out == NULL) {
        set_message("cannot create", scratch, errno);
        free(line);
        fclose(in);
        return TPGLPK_IO;
    }
    rewind(in);
    long at = 0;
    ssize_t length;
    while ((length = getline(&line, &capacity, in)) >= 0) {
        if (!(at >= objsense_at && (after_at < 0 || at < after_at))) fwrite(line, 1, (size_t)length, out);
        at += length;
    }
    free(line);
    fclose(in);
    if (fclose(out) != 0) {
        set_message("cannot write", scratch, errno);
        return TPGLPK_IO;
    }
    return 2 + (sense == 1);
}

int tpglpk_read(int format, const char *path, const char *scratch, glp_prob **out) {
    *out = NULL;
    int sense = -1;
    const char *source = path;
    if (format != 0) {
        int found = strip_objsense(path, scratch);
        if (found == TPGLPK_IO) return TPGLPK_IO;
        if (found >= 2) {
            sense = found - 2;
            source = scratch;
        }
    }
    GUARD_BEGIN(1);
    glp_prob *problem = glp_create_prob();
    int rc = format == 0 ? glp_read_lp(problem, NULL, source)
                         : glp_read_mps(problem, GLP_MPS_FILE, NULL, source);
    guard_end();
    if (source != path) remove(scratch);
    if (rc != 0) {
        keep_last_lines(1);
        glp_delete_prob(problem);
        return TPGLPK_IO;
    }
    if (sense == 1) glp_set_obj_dir(problem, GLP_MAX);
    *out = problem;
    return 0;
}

// MARK: - Test support

int tpglpk_selftest_error(void) {
    GUARD_BEGIN(0);
    glp_prob *problem = glp_create_prob();
    glp_add_cols(problem, 1);
    glp_set_col_bnds(problem, 5, GLP_LO, 0.0, 0.0); // column 5 of 1: GLPK raises an error
    glp_delete_prob(problem);
    guard_end();
    return 0;
}

// MARK: - Minimum-cost flow

/// Vertex data of the flow graph: the supply (GLPK's `rhs`).
typedef struct { double rhs; } flow_vertex;
/// Arc data: bounds, cost, and the solution GLPK writes back.
typedef struct { double low, cap, cost, x, rc; } flow_arc;

int tpglpk_mincost(int nodes, int arcs, const int *tail, const int *head, const int *low, const int *cap,
                   const int *cost, const int *supply, int *flow, double *total) {
    GUARD_BEGIN(0);
    glp_graph *graph = glp_create_graph(sizeof(flow_vertex), sizeof(flow_arc));
    if (nodes > 0) glp_add_vertices(graph, nodes);
    for (int i = 1; i <= nodes; i++) {
        flow_vertex *v = graph->v[i]->data;
        v->rhs = supply[i - 1];
    }
    glp_arc **made = glp_alloc(arcs > 0 ? arcs : 1, sizeof(glp_arc *));
    for (int k = 0; k < arcs; k++) {
        glp_arc *a = glp_add_arc(graph, tail[k] + 1, head[k] + 1);
        flow_arc *d = a->data;
        d->low = low[k];
        d->cap = cap[k];
        d->cost = cost[k];
        d->x = 0;
        d->rc = 0;
        made[k] = a;
    }
    double sol = 0;
    int rc = glp_mincost_okalg(graph, offsetof(flow_vertex, rhs), offsetof(flow_arc, low), offsetof(flow_arc, cap),
                               offsetof(flow_arc, cost), &sol, offsetof(flow_arc, x), -1);
    if (rc == 0) {
        for (int k = 0; k < arcs; k++) {
            flow_arc *d = made[k]->data;
            flow[k] = (int)d->x;
        }
        *total = sol;
    }
    glp_free(made);
    glp_delete_graph(graph);
    guard_end();
    return rc;
}
