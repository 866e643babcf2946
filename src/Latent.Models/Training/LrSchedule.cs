// The learning rate over a run: constant, or cosine annealing from the base rate to 0 over all the steps of the run
// (Loshchilov & Hutter 2017, SGDR without restarts): lr_t = lr 0.5 (1 + cos(pi t / T)).
namespace Latent.Models.Training;

/// <summary>The learning rate over a run: constant, or cosine annealing from the base rate to 0 (Loshchilov and Hutter 2017).</summary>
public enum LrSchedule
{
    Constant,
    Cosine,
}

/// <summary>The learning-rate multiplier of a step under a schedule.</summary>
public static class LrSchedules
{
    /// <summary>The learning-rate multiplier of step <paramref name="step"/> (0-based) of a run of <paramref name="steps"/> steps.</summary>
    public static float Scale(LrSchedule schedule, long step, long steps) => schedule switch
    {
        LrSchedule.Constant => 1f,
        LrSchedule.Cosine => (float)(0.5 * (1 + Math.Cos(Math.PI * step / Math.Max(1, steps)))),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "unknown learning-rate schedule."),
    };
}
