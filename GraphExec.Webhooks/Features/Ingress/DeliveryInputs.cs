using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GraphExec.Webhooks.Features.Ingress;

/// <summary>A delivery's inputs: read from its JSON body, then checked against the plan they are to start.</summary>
public static class DeliveryInputs
{
    public static Checked<JsonObject> Read(AuthenticDelivery delivery)
    {
        JsonNode? payload;
        try
        {
            payload = JsonNode.Parse(delivery.Body);
        }
        catch (JsonException)
        {
            return delivery.Refusals.Refuse(
                StatusCodes.Status415UnsupportedMediaType, DeliveryRefusals.NotJsonTitle, "The body does not parse as JSON.", delivery.Id);
        }

        // A JSON object's properties are the inputs; any other value is the input "body".
        return payload as JsonObject ?? new JsonObject { ["body"] = payload };
    }

    /// <summary>Properties the graph does not take are let through: senders post whole events, of which a graph uses a few fields.</summary>
    public static ValidationProblem? Check(AuthenticDelivery delivery, JsonObject inputs, ExecutionPlan plan)
    {
        var errors = InputCheck.Check(plan.Inputs, inputs, rejectUnknown: false);
        return errors.Count > 0 ? delivery.Refusals.Misfit(delivery.Id, errors) : null;
    }
}
