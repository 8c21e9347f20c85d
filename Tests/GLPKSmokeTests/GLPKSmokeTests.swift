import CGLPK
import Testing

/// Proves from day one that GLPK is installed, linked and solving: a two-variable integer
/// program whose optimum is known by hand.
@Suite("GLPK smoke test")
struct GLPKSmokeTests {
    /// maximise 5x + 4y subject to 6x + 4y ≤ 24, x + 2y ≤ 6, x, y ≥ 0 integer.
    /// The LP optimum is (3, 1.5) with 21; the integer optimum is (4, 0) with 20.
    @Test("a 2-variable integer program reaches its known optimum (4, 0) = 20")
    func integerProgram() {
        defer { _ = glp_free_env() }  // runs last: no GLPK state outlives the test on its thread
        let lp = glp_create_prob()
        defer { glp_delete_prob(lp) }
        glp_set_obj_dir(lp, GLP_MAX)
        glp_add_rows(lp, 2)
        glp_set_row_bnds(lp, 1, GLP_UP, 0, 24)
        glp_set_row_bnds(lp, 2, GLP_UP, 0, 6)
        glp_add_cols(lp, 2)
        for j: Int32 in 1...2 {
            glp_set_col_bnds(lp, j, GLP_LO, 0, 0)
            glp_set_col_kind(lp, j, GLP_IV)
        }
        glp_set_obj_coef(lp, 1, 5)
        glp_set_obj_coef(lp, 2, 4)
        // GLPK's arrays are 1-based: element 0 is ignored.
        var ia: [Int32] = [0, 1, 1, 2, 2]
        var ja: [Int32] = [0, 1, 2, 1, 2]
        var ar: [Double] = [0, 6, 4, 1, 2]
        glp_load_matrix(lp, 4, &ia, &ja, &ar)

        var parm = glp_iocp()
        glp_init_iocp(&parm)
        parm.presolve = GLP_ON
        parm.msg_lev = GLP_MSG_OFF
        let rc = glp_intopt(lp, &parm)

        #expect(rc == 0)
        #expect(glp_mip_status(lp) == GLP_OPT)
        #expect(glp_mip_obj_val(lp) == 20)
        #expect(glp_mip_col_val(lp, 1) == 4)
        #expect(glp_mip_col_val(lp, 2) == 0)
    }

    @Test("the LP relaxation of the same program is 21 at (3, 1.5)")
    func relaxation() {
        defer { _ = glp_free_env() }  // runs last: no GLPK state outlives the test on its thread
        let lp = glp_create_prob()
        defer { glp_delete_prob(lp) }
        glp_set_obj_dir(lp, GLP_MAX)
        glp_add_rows(lp, 2)
        glp_set_row_bnds(lp, 1, GLP_UP, 0, 24)
        glp_set_row_bnds(lp, 2, GLP_UP, 0, 6)
        glp_add_cols(lp, 2)
        glp_set_col_bnds(lp, 1, GLP_LO, 0, 0)
        glp_set_col_bnds(lp, 2, GLP_LO, 0, 0)
        glp_set_obj_coef(lp, 1, 5)
        glp_set_obj_coef(lp, 2, 4)
        var ia: [Int32] = [0, 1, 1, 2, 2]
        var ja: [Int32] = [0, 1, 2, 1, 2]
        var ar: [Double] = [0, 6, 4, 1, 2]
        glp_load_matrix(lp, 4, &ia, &ja, &ar)
        var parm = glp_smcp()
        glp_init_smcp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        #expect(glp_simplex(lp, &parm) == 0)
        #expect(abs(glp_get_obj_val(lp) - 21) < 1e-9)
        #expect(abs(glp_get_col_prim(lp, 1) - 3) < 1e-9)
        #expect(abs(glp_get_col_prim(lp, 2) - 1.5) < 1e-9)
    }
}
