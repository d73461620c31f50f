// RabbitMQ as one container app, reachable inside the environment only, over TCP on 5672, with NO volume.
//
// Why no volume: the execution row in PostgreSQL is the outbox. Every trigger stores the row (Queued) before it
// publishes ExecuteGraph, and the Scheduler's sweeper republishes any execution left Queued, or Running with an
// expired lease, for longer than Sweeper:Threshold (60 s), checking every 15 s. So a broker restart loses only the
// messages in flight, which the sweeper sends again: it costs a delay (up to the threshold plus one sweep, about
// 75 s), never a run. An Azure Files volume would buy nothing and does not work (RabbitMQ's Erlang cookie file
// needs a chmod that Azure Files refuses).
param location string
param tags object
param environmentId string
param identityId string

@description('The broker\'s user.')
param userName string

@description('The Key Vault URL of the broker\'s password (a reference, not the value).')
param loginKeyVaultUrl string

param image string

var amqpPort = 5672

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: 'rabbitmq'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        // The services reach it as rabbitmq:5672; nothing outside the environment does.
        external: false
        transport: 'tcp'
        targetPort: amqpPort
        exposedPort: amqpPort
      }
      secrets: [
        {
          name: 'rabbitmq-password'
          keyVaultUrl: loginKeyVaultUrl
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'rabbitmq'
          image: image
          resources: {
            cpu: json('1.0')
            memory: '2Gi'
          }
          env: [
            { name: 'RABBITMQ_DEFAULT_USER', value: userName }
            { name: 'RABBITMQ_DEFAULT_PASS', secretRef: 'rabbitmq-password' }
          ]
          probes: [
            {
              type: 'Liveness'
              tcpSocket: { port: amqpPort }
              initialDelaySeconds: 20
              periodSeconds: 10
            }
            {
              type: 'Readiness'
              tcpSocket: { port: amqpPort }
              periodSeconds: 5
            }
          ]
        }
      ]
      // One node: its queues live in its memory and disk, and a second node would be a cluster to form.
      scale: {
        minReplicas: 1
        maxReplicas: 1
      }
    }
  }
}

output name string = app.name
