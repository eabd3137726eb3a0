#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Golden vectors for the nn layers, losses and optimizers, from PyTorch.

Run with Debian's interpreter (python3-torch 1.13):
    /usr/bin/python3 tools/gen_torch_golden.py > tests/cases/nn_golden_data.h
Everything is float32 and written as exact hex-float literals. The inputs
come from a seeded torch generator, so the output is reproducible. The
last section (training steps per layer and loss) draws its numbers after
all the others, so adding to it leaves the earlier vectors unchanged.
"""
import sys
import torch
import torch.nn.functional as F

torch.manual_seed(20261128)
torch.set_num_threads(1)
out = []


def emit(line=""):
    out.append(line)


def hexf(v):
    return float(v).hex() + "f"


def farr(name, t):
    vals = [hexf(v) for v in t.detach().reshape(-1).tolist()]
    emit("static const float %s[%d] = {" % (name, len(vals)))
    for i in range(0, len(vals), 4):
        emit("\t" + ", ".join(vals[i:i + 4]) + ",")
    emit("};")
    return name


def iarr(name, t):
    vals = [str(int(v)) for v in t.reshape(-1).tolist()]
    emit("static const int32_t %s[%d] = { %s };" % (name, len(vals), ", ".join(vals)))
    return name


def rand(*shape, scale=1.0):
    return ((torch.rand(*shape) * 2 - 1) * scale).float()


# ---- layers and losses -------------------------------------------------------
# kind names match enum nn_gold_kind in nn_golden_cases.c
layers = []


def layer_case(name, kind, batch, nin, nout, x, x2=None, labels=None,
               w=None, b=None, arg=0, real=0.0, fn=None, loss=False):
    """fn(x, x2, w, b) -> y; records y, dx (and dx2, dW) for dy or loss."""
    xs = x.clone().requires_grad_(True)
    x2s = x2.clone().requires_grad_(True) if x2 is not None else None
    ws = w.clone().requires_grad_(True) if w is not None else None
    bs = b.clone().requires_grad_(True) if b is not None else None
    y = fn(xs, x2s, ws, bs)
    dy = None
    if loss:
        y.backward()
    else:
        dy = rand(*y.shape)
        y.backward(dy)
    p = name
    rec = {"name": name, "kind": kind, "batch": batch, "in": nin, "out": nout,
           "arg": arg, "real": real}
    rec["x"] = farr(p + "_x", x)
    rec["dx"] = farr(p + "_dx", xs.grad)
    if x2 is not None:
        rec["x2"] = farr(p + "_x2", x2)
        rec["dx2"] = farr(p + "_dx2", x2s.grad)
    if labels is not None:
        rec["labels"] = iarr(p + "_labels", labels)
    if w is not None:
        # KMLib stores a linear layer's weight transposed: in x out
        params = [w.t().reshape(-1)] + ([b] if b is not None else [])
        grads = [ws.grad.t().reshape(-1)] + ([bs.grad] if b is not None else [])
        rec["w"] = farr(p + "_w", torch.cat(params))
        rec["dw"] = farr(p + "_dw", torch.cat(grads))
        rec["n_w"] = sum(t.numel() for t in params)
    if dy is not None:
        rec["dy"] = farr(p + "_dy", dy)
    rec["y"] = farr(p + "_y", y.reshape(-1))
    rec["n_y"] = y.numel()
    layers.append(rec)


B = 4
layer_case("linear", "G_LINEAR", B, 5, 3, rand(B, 5), w=rand(3, 5), b=rand(3),
           arg=1, fn=lambda x, x2, w, b: F.linear(x, w, b))
layer_case("linear_nobias", "G_LINEAR", B, 5, 3, rand(B, 5), w=rand(3, 5),
           arg=0, fn=lambda x, x2, w, b: F.linear(x, w))
# large enough for the kml_matmul path (rows x in x out > 256)
layer_case("linear_matmul", "G_LINEAR", 8, 12, 10, rand(8, 12), w=rand(10, 12), b=rand(10),
           arg=1, fn=lambda x, x2, w, b: F.linear(x, w, b))
# batch 1, wide: the single-row vector path (32 + 4 + 1 columns)
layer_case("linear_row", "G_LINEAR", 1, 12, 37, rand(1, 12), w=rand(37, 12), b=rand(37),
           arg=1, fn=lambda x, x2, w, b: F.linear(x, w, b))
# batch 1 without bias, 6 columns: the row pass's last vector reads past
# the parameters (into the block's slack) and drops those lanes
layer_case("linear_row_nobias", "G_LINEAR", 1, 9, 6, rand(1, 9), w=rand(6, 9),
           arg=0, fn=lambda x, x2, w, b: F.linear(x, w))
# one output: the unrolled dot kernels
layer_case("linear_out1", "G_LINEAR", B, 3, 1, rand(B, 3), w=rand(1, 3), b=rand(1),
           arg=1, fn=lambda x, x2, w, b: F.linear(x, w, b))
layer_case("add", "G_ADD", B, 6, 6, rand(B, 6), x2=rand(B, 6),
           fn=lambda x, x2, w, b: x + x2)
layer_case("concat", "G_CONCAT", B, 3, 5, rand(B, 3), x2=rand(B, 2),
           fn=lambda x, x2, w, b: torch.cat([x, x2], dim=1))
layer_case("relu", "G_RELU", B, 7, 7, rand(B, 7), fn=lambda x, x2, w, b: F.relu(x))
layer_case("leaky_relu", "G_LEAKY_RELU", B, 6, 6, rand(B, 6), real=0.05,
           fn=lambda x, x2, w, b: F.leaky_relu(x, 0.05))
layer_case("sigmoid", "G_SIGMOID", B, 6, 6, rand(B, 6, scale=4),
           fn=lambda x, x2, w, b: torch.sigmoid(x))
layer_case("tanh", "G_TANH", B, 6, 6, rand(B, 6, scale=3),
           fn=lambda x, x2, w, b: torch.tanh(x))
layer_case("softmax", "G_SOFTMAX", B, 5, 5, rand(B, 5, scale=3),
           fn=lambda x, x2, w, b: F.softmax(x, dim=1))
layer_case("log_softmax", "G_LOG_SOFTMAX", B, 5, 5, rand(B, 5, scale=3),
           fn=lambda x, x2, w, b: F.log_softmax(x, dim=1))
for red, arg in (("mean", 0), ("sum", 1)):
    layer_case("mse_" + red, "G_MSE", B, 3, 1, rand(B, 3), x2=rand(B, 3), arg=arg,
               loss=True, fn=lambda x, x2, w, b, r=red: F.mse_loss(x, x2, reduction=r))
    layer_case("huber_" + red, "G_HUBER", B, 3, 1, rand(B, 3, scale=2),
               x2=rand(B, 3), arg=arg, real=0.7, loss=True,
               fn=lambda x, x2, w, b, r=red: F.huber_loss(x, x2, reduction=r, delta=0.7))
    lab = torch.randint(0, 5, (B,))
    layer_case("ce_" + red, "G_CE", B, 5, 1, rand(B, 5, scale=3), labels=lab,
               arg=arg, loss=True,
               fn=lambda x, x2, w, b, r=red, lab=lab: F.cross_entropy(x, lab, reduction=r))
    layer_case("bce_" + red, "G_BCE", B, 3, 1, rand(B, 3, scale=3),
               x2=torch.rand(B, 3), arg=arg, loss=True,
               fn=lambda x, x2, w, b, r=red: F.binary_cross_entropy_with_logits(x, x2, reduction=r))
# logits of 1e4: a softmax without max-subtraction overflows
lab = torch.tensor([0, 2, 1, 2])
big = torch.tensor([[1e4, -1e4, 0.5e4], [1e4, 1e4 - 3, 2e3], [-1e4, -1e4 + 1, -1e4 - 2],
                    [0.0, 1e4, 1e4 + 0.5]])
layer_case("ce_logits_1e4", "G_CE", B, 3, 1, big, labels=lab, arg=0, loss=True,
           fn=lambda x, x2, w, b, lab=lab: F.cross_entropy(x, lab))

# ---- optimizers: 3 steps of a small MLP -----------------------------------------
OB, OI, OH, OO = 4, 3, 4, 2
ox, ot = rand(OB, OI), rand(OB, OO)
w1, b1, w2, b2 = rand(OH, OI), rand(OH), rand(OO, OH), rand(OO)
farr("opt_x", ox)
farr("opt_t", ot)
farr("opt_w0", torch.cat([w1.t().reshape(-1), b1, w2.t().reshape(-1), b2]))

optims = []


def optim_case(name, kind, make, clip=0.0, sched=None):
    ps = [t.clone().requires_grad_(True) for t in (w1, b1, w2, b2)]
    opt, cfg = make(ps)
    sch = None
    if sched is not None:
        sch = sched[0](opt)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        h = torch.tanh(F.linear(ox, ps[0], ps[1]))
        loss = F.mse_loss(F.linear(h, ps[2], ps[3]), ot)
        loss.backward()
        losses.append(loss.item())
        if clip:
            torch.nn.utils.clip_grad_norm_(ps, clip)
        opt.step()
        if sch is not None:
            sch.step()
    after = torch.cat([(p.t() if p.dim() == 2 else p).detach().reshape(-1) for p in ps])
    rec = dict(cfg)
    rec.update(name=name, kind=kind, clip=clip,
               after=farr("opt_%s_after" % name, after),
               losses=farr("opt_%s_losses" % name, torch.tensor(losses)))
    rec["sched"] = sched[1] if sched else 0
    rec["step_size"] = sched[2] if sched else 0
    rec["gamma"] = sched[3] if sched else 0.0
    optims.append(rec)


def sgd(lr, momentum=0.0, dampening=0.0, wd=0.0, nesterov=False):
    return lambda ps: (torch.optim.SGD(ps, lr=lr, momentum=momentum, dampening=dampening,
                                       weight_decay=wd, nesterov=nesterov),
                       dict(lr=lr, momentum=momentum, dampening=dampening, wd=wd,
                            nesterov=int(nesterov)))


def adam(lr, betas=(0.9, 0.999), eps=1e-8, wd=0.0):
    return lambda ps: (torch.optim.Adam(ps, lr=lr, betas=betas, eps=eps, weight_decay=wd),
                       dict(lr=lr, beta1=betas[0], beta2=betas[1], eps=eps, wd=wd))


def rmsprop(lr, alpha=0.99, eps=1e-8, wd=0.0, momentum=0.0, centered=False):
    return lambda ps: (torch.optim.RMSprop(ps, lr=lr, alpha=alpha, eps=eps, weight_decay=wd,
                                           momentum=momentum, centered=centered),
                       dict(lr=lr, alpha=alpha, eps=eps, wd=wd, momentum=momentum,
                            centered=int(centered)))


optim_case("sgd", "KML_OPTIM_SGD", sgd(0.1))
optim_case("sgd_momentum_wd", "KML_OPTIM_SGD", sgd(0.1, momentum=0.9, dampening=0.1, wd=0.01))
optim_case("sgd_nesterov", "KML_OPTIM_SGD", sgd(0.1, momentum=0.9, wd=0.01, nesterov=True))
optim_case("adam", "KML_OPTIM_ADAM", adam(0.01))
optim_case("adam_wd_betas", "KML_OPTIM_ADAM", adam(0.02, betas=(0.8, 0.99), eps=1e-6, wd=0.1))
optim_case("rmsprop", "KML_OPTIM_RMSPROP", rmsprop(0.01))
optim_case("rmsprop_centered_momentum", "KML_OPTIM_RMSPROP",
           rmsprop(0.01, alpha=0.9, wd=0.01, momentum=0.5, centered=True))
optim_case("sgd_clip", "KML_OPTIM_SGD", sgd(0.1), clip=0.05)
optim_case("sgd_step_lr", "KML_OPTIM_SGD", sgd(0.1, momentum=0.5),
           sched=(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5), 1, 2, 0.5))
optim_case("adam_exp_lr", "KML_OPTIM_ADAM", adam(0.05),
           sched=(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.7), 2, 1, 0.7))

# ---- 3 training steps per layer and loss ------------------------------------------
# x -> linear (with or without bias) -> loss, SGD lr 0.1 momentum 0.9; the
# loss before each step and the parameters (KMLib's layout) after 3 steps.
# Linear layers alone are trained on MSE(mean) to a fixed target.
steps = []


def steps_case(name, loss, batch, nin, nout, bias, red="mean", real=0.0):
    x = rand(batch, nin)
    w, b = rand(nout, nin), rand(nout)
    tgt = lab = None
    if loss == "G_CE":
        lab = torch.randint(0, nout, (batch,))
    elif loss == "G_BCE":
        tgt = torch.rand(batch, nout)
    else:
        tgt = rand(batch, nout)
    ps = [w.clone().requires_grad_(True)] + ([b.clone().requires_grad_(True)] if bias else [])
    opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        y = F.linear(x, ps[0], ps[1] if bias else None)
        if loss == "G_MSE":
            v = F.mse_loss(y, tgt, reduction=red)
        elif loss == "G_HUBER":
            v = F.huber_loss(y, tgt, reduction=red, delta=real)
        elif loss == "G_CE":
            v = F.cross_entropy(y, lab, reduction=red)
        else:
            v = F.binary_cross_entropy_with_logits(y, tgt, reduction=red)
        v.backward()
        losses.append(v.item())
        opt.step()

    def layout(w, b):
        return torch.cat([w.t().reshape(-1)] + ([b] if bias else []))
    p = "steps_" + name
    rec = {"name": name, "kind": loss, "batch": batch, "in": nin, "out": nout,
           "bias": int(bias), "red": int(red == "sum"), "real": real,
           "x": farr(p + "_x", x), "w": farr(p + "_w", layout(w, b)),
           "after": farr(p + "_after", layout(ps[0].detach(), ps[-1].detach())),
           "losses": farr(p + "_losses", torch.tensor(losses))}
    if tgt is not None:
        rec["x2"] = farr(p + "_t", tgt)
    if lab is not None:
        rec["labels"] = iarr(p + "_labels", lab)
    steps.append(rec)


steps_case("linear", "G_MSE", B, 5, 3, True)
steps_case("linear_nobias", "G_MSE", B, 5, 3, False)
# rows x in x out > 256: the kml_matmul path
steps_case("linear_matmul", "G_MSE", 8, 12, 10, True)
for red in ("mean", "sum"):
    steps_case("mse_" + red, "G_MSE", B, 3, 4, True, red)
    steps_case("huber_" + red, "G_HUBER", B, 3, 4, True, red, real=0.7)
    steps_case("ce_" + red, "G_CE", B, 3, 5, True, red)
    steps_case("bce_" + red, "G_BCE", B, 3, 4, True, red)

# ---- tables -------------------------------------------------------------------


def ref(rec, key):
    return rec[key] if key in rec else "NULL"


emit("static const struct nn_gold nn_gold_layers[] = {")
for r in layers:
    emit("\t{ \"%s\", %s, %d, %d, %d, %d, %r," % (r["name"], r["kind"], r["batch"], r["in"],
                                                    r["out"], r["arg"], r["real"]))
    emit("\t  %s, %s, %s, %s, %d, %s, %s, %d, %s, %s, %s }," % (
        ref(r, "x"), ref(r, "x2"), ref(r, "labels"), ref(r, "w"), r.get("n_w", 0),
        ref(r, "dy"), r["y"], r["n_y"], ref(r, "dx"), ref(r, "dx2"), ref(r, "dw")))
emit("};")
emit()
emit("static const struct nn_gold_optim nn_gold_optims[] = {")
for r in optims:
    emit("\t{ \"%s\", %s, %r, %r, %r, %r, %d, %r, %r, %r, %r, %d," % (
        r["name"], r["kind"], r["lr"], r.get("wd", 0.0), r.get("momentum", 0.0),
        r.get("dampening", 0.0), r.get("nesterov", 0), r.get("beta1", 0.0),
        r.get("beta2", 0.0), r.get("eps", 0.0), r.get("alpha", 0.0), r.get("centered", 0)))
    emit("\t  %r, %d, %d, %r, %s, %s }," % (r["clip"], r["sched"], r["step_size"], r["gamma"],
                                           r["after"], r["losses"]))
emit("};")
emit()
emit("static const struct nn_gold_steps nn_gold_steps[] = {")
for r in steps:
    emit("\t{ \"%s\", %s, %d, %d, %d, %d, %d, %r," % (
        r["name"], r["kind"], r["batch"], r["in"], r["out"], r["bias"], r["red"], r["real"]))
    emit("\t  %s, %s, %s, %s, %s, %s }," % (r["x"], ref(r, "x2"), ref(r, "labels"), r["w"],
                                           r["after"], r["losses"]))
emit("};")

sys.stdout.write("/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */\n")
sys.stdout.write("/* Generated by tools/gen_torch_golden.py (PyTorch %s). Do not edit. */\n"
                 % torch.__version__)
sys.stdout.write("\n".join(out) + "\n")
