using System.Security.Claims;
using System.Text.Json.Nodes;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.Core.Graphs;
using GraphExec.Core.Quotas;
using GraphExec.Engine;
using GraphExec.Engine.Schedules;
using GraphExec.Engine.Validation;
using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Api.Features.Schedules;

public static class SchedulesApi
{
    private const int NextFireTimeCount = 5;
    private const string InvalidScheduleTitle = "The schedule is not valid.";

    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder routes)
    {
        var ofGraph = routes.MapGroup("/api/graphs/{graphId:guid}/schedules").WithTags("Schedules");
        ofGraph.MapPost("/", CreateAsync).WithName("CreateSchedule")
            .WithSummary("Creates a schedule that runs the graph's newest version at each fire time of a cron expression in a time zone.");
        ofGraph.MapGet("/", ListAsync).WithName("ListSchedules").WithSummary("Lists the graph's schedules, newest first, with their next fire times.");

        var group = routes.MapGroup("/api/schedules").WithTags("Schedules");
        group.MapGet("/preview", Preview).WithName("PreviewSchedule")
            .WithSummary("The next 5 fire times of a cron expression in a time zone, so that one can be checked before it is saved.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetSchedule").WithSummary("Gets a schedule with its next 5 fire times and counters.");
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateSchedule")
            .WithSummary("Replaces a schedule's cron, time zone, inputs and policies; fire times count from now.");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteSchedule").WithSummary("Deletes a schedule; its executions stay.");
        group.MapPost("/{id:guid}/pause", PauseAsync).WithName("PauseSchedule").WithSummary("Pauses a schedule: it fires no more until resumed.");
        group.MapPost("/{id:guid}/resume", ResumeAsync).WithName("ResumeSchedule")
            .WithSummary("Resumes a paused schedule from its next fire time; the times it was paused are not made up.");
        return routes;
    }

    public static async Task<Results<Created<ScheduleDto>, NotFound, ValidationProblem, ProblemHttpResult>> CreateAsync(
        Guid graphId, ScheduleRequest request, ClaimsPrincipal user, [AsParameters] ScheduleWriting writing, CancellationToken cancellationToken)
    {
        var (db, time) = (writing.Db, writing.Time);
        var ownerId = user.OwnerId();
        var quotas = writing.QuotasOf(ownerId);
        var (checkedRequest, missing, refused, invalid) = await CheckAsync(request, ownerId, graphId, writing, cancellationToken);
        if (checkedRequest is null)
        {
            return missing is not null ? missing : refused is not null ? refused : invalid!;
        }

        var now = time.GetUtcNow();
        var schedule = new Schedule
        {
            OwnerId = ownerId,
            Id = Guid.CreateVersion7(),
            GraphId = graphId,
            Cron = request.Cron!.Trim(),
            TimeZone = request.TimeZone ?? CronSchedule.DefaultTimeZone,
            Inputs = checkedRequest.Inputs.ToJsonString(),
            CreatedAt = now,
        };
        Apply(schedule, request, checkedRequest, now);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.ChangeUsageAsync(ownerId, new UsageChange(Schedules: 1), quotas, cancellationToken) is { } overQuota)
        {
            return QuotaProblems.Kept(overQuota);
        }

        db.Schedules.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/schedules/{schedule.Id}", ToDto(schedule, checkedRequest.Cron, now));
    }

    public static async Task<Results<Ok<Page<ScheduleDto>>, NotFound, ValidationProblem>> ListAsync(
        Guid graphId, ClaimsPrincipal user, GraphExecDbContext db, TimeProvider time, string? cursor, int? limit,
        CancellationToken cancellationToken)
    {
        if (Paging.Check(cursor, limit, out PageRequest<Guid> page) is { } badPage)
        {
            return badPage;
        }

        var ownerId = user.OwnerId();
        if (!await db.Graphs.Existing(ownerId, graphId).AnyAsync(cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        return TypedResults.Ok(await db.Schedules.AsNoTracking()
            .Where(s => s.OwnerId == ownerId && s.GraphId == graphId)
            .ToPageAsync(s => s.Id, page, s => ToDto(s, now), cancellationToken));
    }

    /// <summary>The same cron rules as a saved schedule, so that what a person previews is what will fire.</summary>
    public static Results<Ok<SchedulePreviewDto>, ValidationProblem> Preview(string? cron, string? timeZone, TimeProvider time)
    {
        var errors = CronSchedule.TryParse(cron, timeZone, out var schedule);
        return errors.Count > 0
            ? Problems.Invalid(errors, InvalidScheduleTitle)
            : TypedResults.Ok(new SchedulePreviewDto(schedule!.Next(time.GetUtcNow(), NextFireTimeCount)));
    }

    public static async Task<Results<Ok<ScheduleDto>, NotFound>> GetAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var schedule = await db.Schedules.AsNoTracking().SingleOrDefaultAsync(s => s.OwnerId == ownerId && s.Id == id, cancellationToken);
        return schedule is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(schedule, time.GetUtcNow()));
    }

    public static async Task<Results<Ok<ScheduleDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, ScheduleRequest request, ClaimsPrincipal user, [AsParameters] ScheduleWriting writing, CancellationToken cancellationToken)
    {
        var (db, time) = (writing.Db, writing.Time);
        var ownerId = user.OwnerId();
        var schedule = await FindAsync(db, ownerId, id, cancellationToken);
        if (schedule is null)
        {
            return TypedResults.NotFound();
        }

        // The graph may be gone: its schedules then answer 404 like the graph.
        var (checkedRequest, missing, refused, invalid) = await CheckAsync(request, ownerId, schedule.GraphId, writing, cancellationToken);
        if (checkedRequest is null)
        {
            return missing is not null ? missing : refused is not null ? refused : invalid!;
        }

        var now = time.GetUtcNow();
        schedule.Cron = request.Cron!.Trim();
        schedule.TimeZone = request.TimeZone ?? CronSchedule.DefaultTimeZone;
        schedule.Inputs = checkedRequest.Inputs.ToJsonString();
        Apply(schedule, request, checkedRequest, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToDto(schedule, checkedRequest.Cron, now));
    }

    public static async Task<Results<NoContent, NotFound>> DeleteAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.Schedules.Where(s => s.OwnerId == ownerId && s.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return TypedResults.NotFound();
        }

        await db.GiveBackUsageAsync(ownerId, new UsageChange(Schedules: -deleted), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static Task<Results<Ok<ScheduleDto>, NotFound>> PauseAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        SetEnabledAsync(id, enabled: false, user, db, time, cancellationToken);

    public static Task<Results<Ok<ScheduleDto>, NotFound>> ResumeAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        SetEnabledAsync(id, enabled: true, user, db, time, cancellationToken);

    private static async Task<Results<Ok<ScheduleDto>, NotFound>> SetEnabledAsync(
        Guid id, bool enabled, ClaimsPrincipal user, GraphExecDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var schedule = await FindAsync(db, user.OwnerId(), id, cancellationToken);
        if (schedule is null)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var cron = CronSchedule.Parse(schedule.Cron, schedule.TimeZone);
        // Resuming does not make up the fire times that passed while paused: it continues from the next one.
        if (enabled != schedule.Enabled)
        {
            schedule.Enabled = enabled;
            schedule.NextFireAt = enabled ? cron.NextAfter(now) : null;
            schedule.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(ToDto(schedule, cron, now));
    }

    /// <summary>
    /// Every problem of the request at once (cron, time zone, policies and inputs against the graph's newest version),
    /// each at its JSON pointer; or the graph missing, or no longer valid; or a cron firing more often than the owner's quota.
    /// </summary>
    private static async Task<(CheckedRequest? Request, NotFound? Missing, ProblemHttpResult? Refused, ValidationProblem? Invalid)> CheckAsync(
        ScheduleRequest request, Guid ownerId, Guid graphId, ScheduleWriting writing, CancellationToken cancellationToken)
    {
        var newest = await writing.Plans.GetAsync(ownerId, graphId, cancellationToken);
        if (newest is not NewestPlan.Found found)
        {
            return newest is NewestPlan.NoLongerValid invalid
                ? (null, null, Problems.NoLongerValid(invalid), null)
                : (null, TypedResults.NotFound(), null, null);
        }

        var errors = new List<ValidationError>(CronSchedule.TryParse(request.Cron, request.TimeZone, out var cron));
        var overlap = ParsePolicy(request.Overlap, "/overlap", ScheduleOverlap.Allow, errors);
        var misfire = ParsePolicy(request.Misfire, "/misfire", ScheduleMisfire.FireOnce, errors);
        var inputs = request.Inputs ?? [];
        errors.AddRange(InputCheck.Check(found.Plan.Inputs, inputs, rejectUnknown: true));
        if (errors.Count > 0)
        {
            return (null, null, null, Problems.Invalid(errors, InvalidScheduleTitle));
        }

        var minimum = writing.QuotasOf(ownerId).ScheduleMinimumInterval;
        return cron!.ShortestInterval(writing.Time.GetUtcNow()) < minimum
            ? (null, null, QuotaProblems.Kept(QuotaExceeded.Interval(minimum)), null)
            : (new CheckedRequest(cron, inputs, overlap, misfire), null, null, null);
    }

    private static TPolicy ParsePolicy<TPolicy>(string? value, string pointer, TPolicy fallback, List<ValidationError> errors)
        where TPolicy : struct, Enum
    {
        if (value is null)
        {
            return fallback;
        }

        var names = Enum.GetValues<TPolicy>().ToDictionary(PolicyName, StringComparer.Ordinal);
        if (names.TryGetValue(value, out var policy))
        {
            return policy;
        }

        errors.Add(new ValidationError(pointer, ValidationCodes.InvalidValue,
            $"'{(value.Length > 40 ? value[..40] + "…" : value)}' is not a choice here; use {string.Join(" or ", names.Keys)}."));
        return fallback;
    }

    /// <summary>The JSON name of a policy (<c>fire-once</c>), as the responses write it.</summary>
    private static string PolicyName<TPolicy>(TPolicy policy) where TPolicy : struct, Enum =>
        System.Text.Json.JsonSerializer.Serialize(policy).Trim('"');

    private static void Apply(Schedule schedule, ScheduleRequest request, CheckedRequest checkedRequest, DateTimeOffset now)
    {
        schedule.Enabled = request.Enabled ?? true;
        schedule.Overlap = checkedRequest.Overlap;
        schedule.Misfire = checkedRequest.Misfire;
        schedule.NextFireAt = schedule.Enabled ? checkedRequest.Cron.NextAfter(now) : null;
        schedule.UpdatedAt = now;
    }

    private static Task<Schedule?> FindAsync(GraphExecDbContext db, Guid ownerId, Guid id, CancellationToken cancellationToken) =>
        db.Schedules.SingleOrDefaultAsync(s => s.OwnerId == ownerId && s.Id == id, cancellationToken);

    private static ScheduleDto ToDto(Schedule schedule, DateTimeOffset now) =>
        ToDto(schedule, CronSchedule.Parse(schedule.Cron, schedule.TimeZone), now);

    private static ScheduleDto ToDto(Schedule schedule, CronSchedule cron, DateTimeOffset now) =>
        new(schedule.Id, schedule.GraphId, schedule.Cron, schedule.TimeZone, JsonColumns.Parse(schedule.Inputs), schedule.Enabled,
            schedule.Overlap, schedule.Misfire, schedule.Enabled ? cron.Next(now, NextFireTimeCount) : [], schedule.LastFireAt,
            schedule.LastExecutionId, schedule.FiredCount, schedule.SkippedCount, schedule.MissedCount, schedule.CreatedAt,
            schedule.UpdatedAt);

    private sealed record CheckedRequest(CronSchedule Cron, JsonObject Inputs, ScheduleOverlap Overlap, ScheduleMisfire Misfire);
}
