#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Golden vectors for convolution, pooling, layer norm, LSTM and GRU, from PyTorch.

Run with Debian's interpreter (python3-torch 1.13):
    /usr/bin/python3 tools/gen_torch_golden_seq.py > tests/cases/nn_golden_seq_data.h
Same style as gen_torch_golden.py: float32, exact hex-float literals, a
seeded generator. Parameters are written in KMLib's order, which for these
kinds is PyTorch's own (weight then bias; weight_ih, weight_hh, bias_ih,
bias_hh), each tensor flattened row-major.

Every case with parameters also records them after 3 SGD steps (lr 0.1,
momentum 0.9) on loss = MSE(y flattened, dy flattened, mean), starting from
the case's x and parameters (a module's buffers, e.g. batch norm's running
statistics, restored to the state before the case's own forward). These
steps draw no random numbers, so the other vectors do not depend on them.
"""
import sys
import torch
import torch.nn.functional as F

torch.manual_seed(20261129)
torch.set_num_threads(1)
out = []


def emit(line=""):
    out.append(line)


def farr(name, t):
    vals = [float(v).hex() + "f" for v in t.detach().reshape(-1).tolist()]
    emit("static const float %s[%d] = {" % (name, len(vals)))
    for i in range(0, len(vals), 4):
        emit("\t" + ", ".join(vals[i:i + 4]) + ",")
    emit("};")
    return name


def rand(*shape, scale=1.0):
    return ((torch.rand(*shape) * 2 - 1) * scale).float()


cases = []


STEP_LR, STEP_MOMENTUM = 0.1, 0.9


def steps_after(x, dy, params, fn, live, module, state):
    """Parameters after 3 SGD-momentum steps on MSE(fn(x), dy)."""
    if live:
        module.load_state_dict(state)
        ps = params
    else:
        ps = [p.clone().requires_grad_(True) for p in params]
    opt = torch.optim.SGD(ps, lr=STEP_LR, momentum=STEP_MOMENTUM)
    for _ in range(3):
        opt.zero_grad()
        F.mse_loss(fn(x, *ps).reshape(-1), dy.reshape(-1)).backward()
        opt.step()
    return torch.cat([p.detach().reshape(-1) for p in ps])


def case(name, kind, x, params, fn, hp, real=0.0, live=False, x0=None, stats=None,
         module=None):
    """fn(x, *params) -> y; records y, dx and d params for a random dy.
    hp: up to 10 integers read by nn_golden_seq_cases.c per kind. live:
    params are @module's own leaf tensors, used as they are."""
    state = None
    if live:
        state = {k: v.clone() for k, v in module.state_dict().items()}
    xs = x.clone().requires_grad_(True)
    ps = params if live else [p.clone().requires_grad_(True) for p in params]
    y = fn(xs, *ps)
    dy = rand(*y.shape)
    y.backward(dy)
    rec = {"name": name, "kind": kind, "batch": x.shape[0],
           "rank": x.dim() - 1, "dims": list(x.shape[1:]) + [0] * (4 - x.dim()),
           "hp": hp + [0] * (10 - len(hp)), "real": real}
    rec["x"] = farr(name + "_x", x)
    rec["dy"] = farr(name + "_dy", dy)
    rec["y"] = farr(name + "_y", y)
    rec["n_y"] = y.numel()
    rec["dx"] = farr(name + "_dx", xs.grad)
    if x0 is not None:
        rec["x0"] = farr(name + "_x0", x0)
    if stats is not None:
        rec["stats"] = farr(name + "_stats", torch.cat(stats()))
    if params:
        rec["w"] = farr(name + "_w", torch.cat([p.reshape(-1) for p in params]))
        rec["dw"] = farr(name + "_dw", torch.cat([p.grad.reshape(-1) for p in ps]))
        rec["n_w"] = sum(p.numel() for p in params)
        rec["after"] = farr(name + "_after",
                            steps_after(x, dy, params, fn, live, module, state))
    cases.append(rec)


# conv: hp = out, bias, kh, kw, sh, sw, ph, pw, dh, dw
def conv1d(name, x, o, k, s, p, d, bias):
    c = x.shape[1]
    bound = 1 / (c * k) ** 0.5
    params = [rand(o, c, k, scale=bound)] + ([rand(o, scale=bound)] if bias else [])
    case(name, "GS_CONV1D", x, params,
         lambda x, w, b=None: F.conv1d(x, w, b, stride=s, padding=p, dilation=d),
         [o, int(bias), 1, k, 1, s, 0, p, 1, d])


def conv2d(name, x, o, k, s, p, d, bias):
    c = x.shape[1]
    bound = 1 / (c * k[0] * k[1]) ** 0.5
    params = [rand(o, c, *k, scale=bound)] + ([rand(o, scale=bound)] if bias else [])
    case(name, "GS_CONV2D", x, params,
         lambda x, w, b=None: F.conv2d(x, w, b, stride=s, padding=p, dilation=d),
         [o, int(bias), k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1]])


conv1d("conv1d", rand(2, 3, 8), 4, 3, 2, 1, 2, True)
conv1d("conv1d_nobias", rand(2, 2, 6), 3, 2, 1, 0, 1, False)
conv2d("conv2d", rand(2, 2, 6, 5), 3, (3, 2), (2, 1), (1, 0), (1, 2), True)
conv2d("conv2d_nobias_same", rand(1, 3, 4, 4), 2, (3, 3), (1, 1), (1, 1), (1, 1), False)


# pool: hp = mode (0 max, 1 avg), 0, kh, kw, sh, sw, ph, pw
def pool1d(name, x, mode, k, s, p):
    f = (lambda x: F.max_pool1d(x, k, s, p)) if mode == 0 else \
        (lambda x: F.avg_pool1d(x, k, s, p))
    case(name, "GS_POOL1D", x, [], f, [mode, 0, 1, k, 1, s, 0, p])


def pool2d(name, x, mode, k, s, p):
    f = (lambda x: F.max_pool2d(x, k, s, p)) if mode == 0 else \
        (lambda x: F.avg_pool2d(x, k, s, p))
    case(name, "GS_POOL2D", x, [], f, [mode, 0, k[0], k[1], s[0], s[1], p[0], p[1]])


pool1d("maxpool1d", rand(2, 3, 9), 0, 3, 2, 1)
pool1d("avgpool1d", rand(2, 3, 9), 1, 3, 2, 1)
pool2d("maxpool2d", rand(2, 3, 5, 6), 0, (2, 3), (2, 2), (1, 1))
pool2d("avgpool2d", rand(2, 2, 5, 4), 1, (3, 3), (1, 2), (1, 1))

# layer norm: hp = affine
D = 6
case("layer_norm", "GS_LAYER_NORM", rand(2, 3, D, scale=2),
     [1 + rand(D, scale=0.5), rand(D, scale=0.5)],
     lambda x, g, b: F.layer_norm(x, (D,), g, b, 1e-5), [1], real=1e-5)
case("layer_norm_plain", "GS_LAYER_NORM", rand(3, 8, scale=3), [],
     lambda x: F.layer_norm(x, (8,), eps=1e-3), [0], real=1e-3)


# batch norm: hp = affine, training; momentum 0.1. Training: y, dx, dw and
# the running statistics after that forward. Evaluation: a training forward
# on x0 first, then y, dx, dw in evaluation mode with the statistics it left.
def batch_norm(name, x, affine, training):
    c = x.shape[1]
    mod = torch.nn.BatchNorm1d if x.dim() <= 3 else torch.nn.BatchNorm2d
    m = mod(c, eps=1e-5, momentum=0.1, affine=affine)
    x0 = None
    if affine:
        with torch.no_grad():
            m.weight.copy_(1 + rand(c, scale=0.5))
            m.bias.copy_(rand(c, scale=0.5))
    if not training:
        x0 = rand(*x.shape, scale=2) + 0.5
        m.train()
        m(x0)
        m.eval()
    params = [m.weight, m.bias] if affine else []

    def fn(x, *unused):
        return m(x)
    case(name, "GS_BATCH_NORM", x, params, fn, [int(affine), int(training)],
         real=1e-5, live=True, x0=x0, module=m,
         stats=lambda: [m.running_mean.detach(), m.running_var.detach()])


batch_norm("batch_norm_1d", rand(4, 3, 5, scale=2), True, True)
batch_norm("batch_norm_vec_plain", rand(5, 4, scale=2), False, True)
batch_norm("batch_norm_2d", rand(3, 2, 3, 4, scale=2), True, True)
batch_norm("batch_norm_2d_eval", rand(3, 2, 3, 4, scale=2), True, False)


# recurrent: hp = hidden, all steps
def rnn(name, kind, mod, x, h, all_steps):
    m = mod(x.shape[2], h, batch_first=True)
    params = [m.weight_ih_l0, m.weight_hh_l0, m.bias_ih_l0, m.bias_hh_l0]

    def fn(x, *unused):
        ys, _ = m(x)
        return ys if all_steps else ys[:, -1, :]
    case(name, kind, x, params, fn, [h, int(all_steps)], live=True, module=m)


rnn("lstm_all", "GS_LSTM", torch.nn.LSTM, rand(2, 5, 3), 4, True)
rnn("lstm_last", "GS_LSTM", torch.nn.LSTM, rand(2, 6, 3, scale=2), 5, False)
rnn("gru_all", "GS_GRU", torch.nn.GRU, rand(2, 5, 3), 4, True)
rnn("gru_last", "GS_GRU", torch.nn.GRU, rand(2, 6, 3, scale=2), 5, False)


def ref(rec, key):
    return rec[key] if key in rec else "NULL"


emit("static const struct nn_gold_seq nn_gold_seq[] = {")
for r in cases:
    emit("\t{ \"%s\", %s, %d, %d, { %s }, { %s }, %r," % (
        r["name"], r["kind"], r["batch"], r["rank"], ", ".join(map(str, r["dims"])),
        ", ".join(map(str, r["hp"])), r["real"]))
    emit("\t  %s, %s, %s, %d, %s, %s, %d, %s, %s, %s, %s }," % (
        r["x"], r["dy"], r["y"], r["n_y"], r["dx"], ref(r, "w"), r.get("n_w", 0),
        ref(r, "dw"), ref(r, "x0"), ref(r, "stats"), ref(r, "after")))
emit("};")

sys.stdout.write("/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */\n")
sys.stdout.write("/* Generated by tools/gen_torch_golden_seq.py (PyTorch %s). Do not edit. */\n"
                 % torch.__version__)
sys.stdout.write("\n".join(out) + "\n")
